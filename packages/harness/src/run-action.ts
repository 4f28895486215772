/**
 * Runs a bundled action the way a GitHub runner does: `node <action>/dist/index.js` with inputs as
 * `INPUT_<NAME>` variables and fresh files behind GITHUB_OUTPUT, GITHUB_ENV, GITHUB_PATH,
 * GITHUB_STEP_SUMMARY and GITHUB_STATE, then parses what the action wrote. A post step is run
 * with the state the main step saved, as the runner does.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, sharedDir } from './workdirs.js';

export interface ActionRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  /** Variables the action exported through GITHUB_ENV. */
  exportedEnv: Record<string, string>;
  /** Directories the action added through GITHUB_PATH, in order written. */
  addedPath: string[];
  summary: string;
  state: Record<string, string>;
  /** Error annotations (`::error::` lines) found on stdout. */
  errors: string[];
  warnings: string[];
  /** Wall time of the node process, in milliseconds. */
  durationMs: number;
}

export interface RunOptions {
  inputs?: Record<string, string>;
  /** Extra environment; `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  /** GITHUB_WORKSPACE and the working directory; defaults to the repo root. */
  workspace?: string;
  /** Run the post step, with the given state (from the main run). */
  post?: Record<string, string>;
  /** RUNNER_TEMP; defaults to a fresh directory. */
  runnerTemp?: string;
  /** RUNNER_TOOL_CACHE; defaults to the shared `.work/tool-cache`. */
  toolCache?: string;
  /** Called with the action's process once started (e.g. to kill it mid-run). */
  onStart?: (child: ChildProcess) => void;
  /**
   * Run as this user, like GitHub's runner user (uid 1001, primary group docker): a test running
   * as root can name any, one that is not only itself. The step's files are given to it.
   */
  user?: { uid: number; gid: number };
  /**
   * Called with each line of output as it arrives (e.g. a `CommandRenderer` from
   * render-commands.ts); stdout and stderr are still collected in the result.
   */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

/** Splits a stream's chunks into whole lines for `onLine`; `flush` passes on an unfinished last line. */
function lineSplitter(onLine: (line: string) => void): { push(chunk: string): void; flush(): void } {
  let rest = '';
  return {
    push(chunk) {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop() ?? '';
      for (const part of parts) onLine(part);
    },
    flush() {
      if (rest !== '') onLine(rest);
      rest = '';
    },
  };
}

/** Parses the runner's `name=value` / `name<<DELIM ... DELIM` file format. */
export function parseCommandFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const body: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) body.push(lines[i]!);
      values[name!] = body.join('\n');
      continue;
    }
    const eq = line.indexOf('=');
    if (eq > 0) values[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return values;
}

/** The environment a runner gives an action step, without this process's INPUT_/GITHUB_ files. */
function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (/^(INPUT_|STATE_|GITHUB_|RUNNER_|ACTIONS_)/.test(key)) continue;
    env[key] = value;
  }
  return env;
}

/** Runs `actions/<name>/dist/index.js` and returns what it did. */
export async function runAction(name: string, options: RunOptions = {}): Promise<ActionRun> {
  const bundle = path.join(repoRoot, 'actions', name, 'dist', 'index.js');
  const files = mkdtempSync(path.join(sharedDir('tmp'), `run-${name}-`));
  const file = (f: string) => {
    const p = path.join(files, f);
    writeFileSync(p, '');
    return p;
  };
  const runnerTemp = options.runnerTemp ?? path.join(files, 'runner-temp');
  mkdirSync(runnerTemp, { recursive: true });
  const env: Record<string, string> = {
    ...baseEnv(),
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: file('output'),
    GITHUB_ENV: file('env'),
    GITHUB_PATH: file('path'),
    GITHUB_STEP_SUMMARY: file('summary'),
    GITHUB_STATE: file('state'),
    GITHUB_WORKSPACE: options.workspace ?? repoRoot,
    GITHUB_REPOSITORY: 'ferrowheel/ferrowheel',
    GITHUB_SHA: '0000000000000000000000000000000000000000',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_JOB: 'test',
    RUNNER_OS: { linux: 'Linux', darwin: 'macOS', win32: 'Windows' }[process.platform as string] ?? 'Linux',
    RUNNER_ARCH: process.arch === 'arm64' ? 'ARM64' : 'X64',
    RUNNER_TEMP: runnerTemp,
    RUNNER_TOOL_CACHE: options.toolCache ?? sharedDir('tool-cache'),
  };
  for (const [key, value] of Object.entries(options.inputs ?? {})) {
    env[`INPUT_${key.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  for (const [key, value] of Object.entries(options.post ?? {})) env[`STATE_${key}`] = value;
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }

  if (options.user) {
    for (const f of [files, runnerTemp, ...readdirSync(files).map((f) => path.join(files, f))]) {
      chownSync(f, options.user.uid, options.user.gid);
    }
  }
  const started = performance.now();
  const child = spawn(process.execPath, [bundle], {
    cwd: options.workspace ?? repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.user ? { uid: options.user.uid, gid: options.user.gid } : {}),
  });
  options.onStart?.(child);
  let stdout = '';
  let stderr = '';
  const onLine = options.onLine;
  const outLines = onLine ? lineSplitter((l) => onLine(l, 'stdout')) : undefined;
  const errLines = onLine ? lineSplitter((l) => onLine(l, 'stderr')) : undefined;
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (d: string) => {
    stdout += d;
    outLines?.push(d);
  });
  child.stderr.on('data', (d: string) => {
    stderr += d;
    errLines?.push(d);
  });
  const exitCode: number = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
  outLines?.flush();
  errLines?.flush();
  const durationMs = performance.now() - started;
  const read = (f: string) => readFileSync(path.join(files, f), 'utf8');
  const annotations = (kind: string) =>
    stdout
      .split(/\r?\n/)
      .filter((l) => l.startsWith(`::${kind}`))
      .map((l) =>
        l
          .slice(l.indexOf('::', 2) + 2)
          .replace(/%0A/g, '\n')
          .replace(/%0D/g, '\r')
          .replace(/%25/g, '%'),
      );
  return {
    exitCode,
    stdout,
    stderr,
    outputs: parseCommandFile(read('output')),
    exportedEnv: parseCommandFile(read('env')),
    addedPath: read('path')
      .split(/\r?\n/)
      .filter((l) => l !== ''),
    summary: read('summary'),
    state: parseCommandFile(read('state')),
    errors: annotations('error'),
    warnings: annotations('warning'),
    durationMs,
  };
}

/** Runs the main step, then the post step with the state it saved. */
export async function runActionWithPost(
  name: string,
  options: RunOptions = {},
): Promise<{ main: ActionRun; post: ActionRun }> {
  const main = await runAction(name, options);
  const post = await runAction(name, { ...options, post: main.state });
  return { main, post };
}
