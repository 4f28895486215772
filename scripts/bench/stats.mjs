// Helpers every benchmark shares: run a command N times, report the median wall time; run the
// build bundle as the runner does; import a dependency-free harness module.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Median of numbers. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs argv `runs` times (after one warm-up) and returns the median wall time in ms. */
export function timeCommand(argv, { runs = 15, env = process.env, cwd } = {}) {
  const once = () => {
    const start = performance.now();
    const result = spawnSync(argv[0], argv.slice(1), { env, cwd, stdio: 'ignore' });
    if (result.status !== 0) throw new Error(`${argv.join(' ')} exited with ${result.status}`);
    return performance.now() - start;
  };
  once();
  return median(Array.from({ length: runs }, once));
}

/** Prints a table of [label, ms] rows with ratios to the first row. */
export function report(rows) {
  const base = rows[0][1];
  for (const [label, ms] of rows) {
    console.log(
      `${label.padEnd(48)} ${ms.toFixed(1).padStart(8)} ms  ${(ms / base).toFixed(2).padStart(6)}x`,
    );
  }
}

/** Imports a dependency-free TypeScript module by transpiling it to a temporary .mjs. */
export async function importTs(file) {
  const source = readFileSync(file, 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'bench-ts-')), `${path.basename(file, '.ts')}.mjs`);
  writeFileSync(out, outputText);
  return import(pathToFileURL(out).href);
}

/** Reads the runner's `name=value` / `name<<EOF` command files. */
export function parseCommandFile(text) {
  const values = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i]);
    if (heredoc) {
      const body = [];
      for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) body.push(lines[i]);
      values[heredoc[1]] = body.join('\n');
    } else if (lines[i].includes('=')) {
      values[lines[i].slice(0, lines[i].indexOf('='))] = lines[i].slice(lines[i].indexOf('=') + 1);
    }
  }
  return values;
}

/**
 * Runs the build bundle as the runner would (main, or post with `state`) in `workspace`, with
 * `inputs` (default: working-directory setup); returns ms, log, outputs, state.
 */
export async function runBundle({ workspace, env, state, inputs = { 'working-directory': 'setup' } }) {
  const files = mkdtempSync(path.join(tmpdir(), 'bench-run-'));
  const file = (name) => {
    const p = path.join(files, name);
    writeFileSync(p, '');
    return p;
  };
  const childEnv = {
    ...env,
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_JOB: 'bench',
    GITHUB_OUTPUT: file('output'),
    GITHUB_STATE: file('state'),
    GITHUB_STEP_SUMMARY: file('summary'),
    GITHUB_ENV: file('env'),
    GITHUB_PATH: file('path'),
    RUNNER_TEMP: path.join(files, 'temp'),
  };
  for (const [k, v] of Object.entries(inputs)) childEnv[`INPUT_${k.toUpperCase()}`] = v;
  for (const [k, v] of Object.entries(state ?? {})) childEnv[`STATE_${k}`] = v;
  mkdirSync(childEnv.RUNNER_TEMP);
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(root, 'actions', 'build', 'dist', 'index.js')], {
    cwd: workspace,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (d) => {
    log += d;
  });
  child.stderr.on('data', (d) => {
    log += d;
  });
  const code = await new Promise((resolve) => child.on('close', resolve));
  const ms = performance.now() - started;
  if (code !== 0) throw new Error(`build bundle exited with ${code}:\n${log}`);
  return {
    ms,
    log,
    outputs: parseCommandFile(readFileSync(childEnv.GITHUB_OUTPUT, 'utf8')),
    state: parseCommandFile(readFileSync(childEnv.GITHUB_STATE, 'utf8')),
  };
}
