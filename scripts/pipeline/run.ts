/**
 * The main job, run locally on any PyO3/maturin project: the five bundled actions chained the way
 * a GitHub runner chains steps (each sees the PATH and env the earlier ones exported; post steps
 * run last, in reverse), with a real pypiserver on 127.0.0.1 as the index and a local server
 * speaking GitHub's cache protocol; then the published package is installed from that index into
 * a fresh venv and imported. The actions' logs are rendered for a terminal
 * (packages/harness/src/render-commands.ts) and their job summaries combined into one report.
 *
 * The closing lines claim only what happened: a step that failed or did not run is named as such,
 * and the exit code is non-zero with the failing step's error.
 */
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { readActionMetadata } from '../../packages/harness/src/action-metadata.js';
import { type CacheServer, startCacheServer } from '../../packages/harness/src/cache-server.js';
import { type PypiServer, startPypiServer } from '../../packages/harness/src/pypi-server.js';
import { CommandRenderer, Masker } from '../../packages/harness/src/render-commands.js';
import { type ActionRun, runAction } from '../../packages/harness/src/run-action.js';
import { cargoTargetDir, repoRoot, sharedDir, toolsBin } from '../../packages/harness/src/workdirs.js';
import { sha256 } from '../../packages/kit/src/files.js';
import { type BuildPlace, chooseBuildPlace, type Docker, realDocker } from './container.js';
import type { PipelineOptions } from './options.js';
import { inspectProject, type ProjectInfo, ProjectProblem } from './project.js';
import { type StepRecord, writeReport } from './report.js';
import { installAndImport } from './verify.js';

export interface PipelineIo {
  write(text: string): void;
  color: boolean;
  docker?: Docker;
}

interface ActionStep {
  /** Shown in the log and the report (`test (3.11)`). */
  label: string;
  action: string;
  inputs: (outputs: Record<string, Record<string, string>>) => Record<string, string>;
}

const SGR = { bold: '1', red: '31', green: '32', dim: '2' } as const;

export async function runPipeline(options: PipelineOptions, io: PipelineIo): Promise<number> {
  const masker = new Masker();
  const paint = (code: keyof typeof SGR, text: string) =>
    io.color ? `\u001b[${SGR[code]}m${text}\u001b[0m` : text;
  const say = (text = '') => io.write(`${masker.apply(text)}\n`);

  let project: ProjectInfo;
  let place: BuildPlace;
  try {
    project = inspectProject(options.project);
    place = await chooseBuildPlace(options.container, io.docker ?? realDocker);
  } catch (thrown) {
    say(`${paint('red', 'error')}: ${thrown instanceof Error ? thrown.message : String(thrown)}`);
    return thrown instanceof ProjectProblem ? 2 : 1;
  }

  const userDir = process.env.INIT_CWD ?? process.cwd();
  const shown = path.relative(userDir, project.dir) || '.';
  say(paint('bold', `Pipeline on ${shown} (${project.name})`));
  if (project.root !== project.dir) {
    say(
      `  a workspace member: ${path.relative(userDir, project.root) || '.'} is copied, the project is ${path.relative(project.root, project.dir)}`,
    );
  }
  say(`  build: ${place.reason}`);

  // The runner's workspace, as a checkout: the project (or the uv/cargo workspace it is a member
  // of) copied in as `project/`, the packages beside it in `dist/`, so build's out-dir and
  // publish's packages-dir stay inside the workspace and nothing is written into the user's project. A copy, not a link: the actions contain
  // paths by where they really lead, and a link out of the workspace is refused, as on a runner.
  // FERROWHEEL_PIPELINE_DIR moves it (tests give each run its own).
  const work = path.resolve(process.env.FERROWHEEL_PIPELINE_DIR ?? sharedDir('pipeline'));
  const workspace = path.join(work, 'workspace');
  rmSync(workspace, { recursive: true, force: true });
  mkdirSync(path.join(workspace, 'dist'), { recursive: true });
  copyProject(project.root, path.join(workspace, 'project'));
  const dist = path.join(workspace, 'dist');

  const reportDir = options.reportDir ?? path.join(work, 'report');
  const started = performance.now();
  const records: StepRecord[] = [];
  let cache: CacheServer | undefined;
  let index: PypiServer | undefined;
  let exitCode = 0;
  let failure: { step: string; message: string } | undefined;
  let published = false;
  let installLine: string | undefined;
  try {
    cache = await startCacheServer();
    if (options.publish) {
      index = await startPypiServer();
      masker.add(index.password);
    }
    const inRepoExample = path.relative(path.join(repoRoot, 'examples'), project.dir);
    const targetDir =
      process.env.CARGO_TARGET_DIR ??
      (!inRepoExample.startsWith('..') && !path.isAbsolute(inRepoExample)
        ? cargoTargetDir('examples')
        : path.join(work, 'cargo-target', sha256(project.root).slice(0, 16)));
    let env: Record<string, string | undefined> = { ...cache.env, CARGO_TARGET_DIR: targetDir };
    let pathPrefix = [toolsBin];

    /** Runs one action step (or post step), its log rendered as it comes, then its progress line. */
    const runStep = async (
      label: string,
      action: string,
      extra: { inputs?: Record<string, string>; post?: Record<string, string> },
    ) => {
      say(`\n${paint('bold', `▶ ${label}`)}`);
      const renderer = new CommandRenderer({
        write: io.write,
        verbose: options.verbose,
        color: io.color,
        masker,
        indent: '  ',
        // Annotations name files relative to the workspace; show them relative to where the user is.
        showFile: (file) => path.relative(userDir, userPath(workspace, project.root, file)) || file,
      });
      const run = await runAction(action, {
        ...extra,
        workspace,
        env: { ...env, PATH: [...pathPrefix, process.env.PATH ?? ''].join(path.delimiter) },
        onLine: (line) => renderer.line(line),
      }).catch(crashed);
      renderer.finish({ failed: run.exitCode !== 0 });
      say(progressLine(paint, label, run.exitCode === 0, run.durationMs));
      return { run, renderer };
    };

    const steps = actionSteps(options, { place, index, wd: workingDirectory(project) });
    const outputs: Record<string, Record<string, string>> = {};
    const posts: { label: string; action: string; state: Record<string, string> }[] = [];
    for (const step of steps) {
      if (failure) {
        records.push({ name: step.label, status: 'not run', ms: undefined, summary: '' });
        continue;
      }
      const { run, renderer } = await runStep(step.label, step.action, {
        inputs: step.inputs(outputs),
      });
      const ok = run.exitCode === 0;
      const record: StepRecord = {
        name: step.label,
        status: ok ? 'ok' : 'failed',
        ms: run.durationMs,
        summary: masker.apply(run.summary),
      };
      records.push(record);
      // The runner runs an action's post step (once per action, whether its main step passed
      // or not), last, in reverse order.
      if (readActionMetadata(step.action).runs.post && !posts.some((p) => p.action === step.action)) {
        posts.push({ label: `${step.action} (post)`, action: step.action, state: run.state });
      }
      if (!ok) {
        const errors = renderer.annotations.filter((a) => a.kind === 'error').map((a) => a.message);
        const message =
          errors.length > 0
            ? errors.join('\n')
            : `exited with code ${run.exitCode}${run.stderr.trim() ? `: ${run.stderr.trim().split('\n').slice(-5).join('\n')}` : ''}`;
        failure = { step: step.label, message: masker.apply(message) };
        record.note = failure.message.split('\n')[0];
        continue;
      }
      outputs[step.action] = run.outputs;
      env = { ...env, ...run.exportedEnv };
      pathPrefix = [...[...run.addedPath].reverse(), ...pathPrefix];
      if (step.action === 'publish') {
        published = true;
        record.note = `to ${index?.simpleUrl}`;
      }
    }
    for (const post of posts.reverse()) {
      const { run } = await runStep(post.label, post.action, { post: post.state });
      records.push({
        name: post.label,
        status: run.exitCode === 0 ? 'ok' : 'failed',
        ms: run.durationMs,
        summary: masker.apply(run.summary),
      });
      // As on a runner, a failing post step (a cache save) does not fail the job; it is reported.
    }

    const verifyLabel = options.publish ? 'install from the index' : 'install the wheel';
    if (failure) {
      records.push({ name: verifyLabel, status: 'not run', ms: undefined, summary: '' });
    } else {
      say(`\n${paint('bold', `▶ ${verifyLabel}`)}`);
      const t0 = performance.now();
      const result = await installAndImport({
        project,
        python: options.pythons[0],
        venv: path.join(work, 'verify-venv'),
        from: index ? { index: index.simpleUrl } : { dir: dist },
        version: versionOf(outputs.build?.wheels ?? ''),
      });
      const ms = performance.now() - t0;
      for (const line of result.log) say(`  ${line}`);
      say(progressLine(paint, verifyLabel, result.ok, ms));
      records.push({
        name: verifyLabel,
        status: result.ok ? 'ok' : 'failed',
        ms,
        summary: '',
        note: result.line,
      });
      if (result.ok) installLine = result.line;
      else failure = { step: verifyLabel, message: result.line };
    }
  } catch (thrown) {
    failure = {
      step: failure?.step ?? 'pipeline',
      message: masker.apply(thrown instanceof Error ? thrown.message : String(thrown)),
    };
  } finally {
    await cache?.close();
  }

  // The closing lines: what happened, nothing more.
  const total = performance.now() - started;
  const closing: string[] = [];
  say(`\n${paint('bold', `Pipeline on ${shown}`)}`);
  for (const r of records) {
    const mark = r.status === 'ok' ? '✓' : r.status === 'failed' ? '✗' : '·';
    say(
      `  ${mark} ${r.name.padEnd(24)} ${r.status.padEnd(8)} ${r.ms === undefined ? '' : `${(r.ms / 1000).toFixed(1).padStart(6)} s`}`,
    );
  }
  if (failure) {
    exitCode = 1;
    closing.push(`**Failed at ${failure.step}:** ${failure.message}`);
    say(`\n${paint('red', 'error')}: ${failure.step} failed: ${failure.message}`);
  } else {
    const builtLine = `built ${project.name} ${place.where}${options.sdist ? ', with its sdist' : ''}; tested with ${options.pythons.length > 0 ? `Python ${options.pythons.join(', ')}` : 'the python on PATH'}`;
    closing.push(builtLine);
    if (published && index) closing.push(`published to ${index.simpleUrl}`);
    if (installLine) closing.push(installLine);
    say(`  ${builtLine}`);
    if (published && index) say(`  published to ${index.simpleUrl}`);
    if (installLine) say(`  ${installLine}`);
  }
  say(`  total ${(total / 1000).toFixed(1)} s`);
  const report = writeReport(
    reportDir,
    `Pipeline on ${project.name}`,
    records,
    closing.map((c) => masker.apply(c)),
  );
  say(`  report (Markdown): ${report.markdown}`);

  if (index && options.keep && !failure) {
    say(`Index left running at ${index.simpleUrl} (Ctrl-C stops it).`);
    say(`report: ${report.html}`);
    await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  } else {
    say(`report: ${report.html}`);
  }
  await index?.stop();
  return exitCode;
}

function progressLine(
  paint: (c: keyof typeof SGR, t: string) => string,
  label: string,
  ok: boolean,
  ms: number,
): string {
  return `${ok ? paint('green', '✓') : paint('red', '✗')} ${label} ${paint('dim', `${(ms / 1000).toFixed(1)} s`)}${ok ? '' : ` ${paint('red', 'failed')}`}`;
}

/** A step whose node process could not even start. */
function crashed(thrown: unknown): ActionRun {
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return {
    exitCode: 1,
    stdout: '',
    stderr: message,
    outputs: {},
    exportedEnv: {},
    addedPath: [],
    summary: '',
    state: {},
    errors: [message],
    warnings: [],
    durationMs: 0,
  };
}

/** The version of the first wheel in build's `wheels` output (JSON: `[{ version, … }]`). */
export function versionOf(wheelsOutput: string): string | undefined {
  try {
    const wheels = JSON.parse(wheelsOutput) as { version?: unknown }[];
    const version = wheels[0]?.version;
    return typeof version === 'string' ? version : undefined;
  } catch {
    return undefined;
  }
}

/** The actions' working-directory in the runner's workspace: the project inside the copy. */
export function workingDirectory(project: Pick<ProjectInfo, 'dir' | 'root'>): string {
  return path.posix.join('project', ...path.relative(project.root, project.dir).split(path.sep));
}

function actionSteps(
  options: PipelineOptions,
  context: { place: BuildPlace; index: PypiServer | undefined; wd: string },
): ActionStep[] {
  const { place, index, wd } = context;
  // build's out-dir is relative to working-directory: the workspace's dist/ from the project.
  const outDir = path.posix.relative(wd, 'dist');
  const steps: ActionStep[] = [
    {
      label: 'setup-rust',
      action: 'setup-rust',
      inputs: () => ({ 'working-directory': wd, cache: 'false' }),
    },
    { label: 'setup-maturin', action: 'setup-maturin', inputs: () => ({ 'working-directory': wd }) },
    {
      label: 'build',
      action: 'build',
      inputs: () => ({
        'working-directory': wd,
        sdist: String(options.sdist),
        'out-dir': outDir,
        container: place.input,
        interpreters: options.pythons.join(' '),
        // The cache service is this run's own local server: a cache saved there dies with it,
        // while the cargo target dir (CARGO_TARGET_DIR) persists between runs anyway.
        cache: 'false',
      }),
    },
  ];
  for (const python of options.pythons.length > 0 ? options.pythons : ['']) {
    steps.push({
      label: python ? `test (${python})` : 'test',
      action: 'test',
      inputs: (o) => ({ wheels: o.build?.wheels ?? outDir, 'working-directory': wd, python }),
    });
  }
  if (index) {
    steps.push({
      label: 'publish',
      action: 'publish',
      inputs: () => ({
        'packages-dir': 'dist',
        'repository-url': index.uploadUrl,
        'index-url': index.simpleUrl,
        username: index.username,
        token: index.password,
        'skip-existing': 'true',
      }),
    });
  }
  return steps;
}

/** What a copy of the project leaves out: build output, VCS data, environments, caches. */
const NOT_COPIED_AT_TOP = new Set([
  'target',
  'dist',
  '.git',
  '.venv',
  'venv',
  'node_modules',
  '.tox',
  '.nox',
]);
const NOT_COPIED = new Set(['__pycache__', '.pytest_cache', '.mypy_cache', '.ruff_cache']);

/**
 * Copies the project's sources into the workspace. Timestamps are kept, so cargo (whose target
 * dir lives outside the copy, at the same copy path every run) finds an unchanged crate fresh.
 */
export function copyProject(from: string, to: string): void {
  cpSync(from, to, {
    recursive: true,
    preserveTimestamps: true,
    filter: (source) => {
      const parts = path.relative(from, source).split(path.sep);
      if (parts[0] === '') return true;
      if (parts.length === 1 && NOT_COPIED_AT_TOP.has(parts[0]!)) return false;
      return !parts.some((part) => NOT_COPIED.has(part));
    },
  });
}

/** A workspace path an annotation names, as the user's own file when it lies in the copy. */
export function userPath(workspace: string, projectDir: string, file: string): string {
  const inWorkspace = path.resolve(workspace, file);
  const inCopy = path.relative(path.join(workspace, 'project'), inWorkspace);
  return inCopy.startsWith('..') || path.isAbsolute(inCopy) ? inWorkspace : path.join(projectDir, inCopy);
}
