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
import { messageOf } from '../../packages/kit/src/errors.js';
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
type Paint = (code: keyof typeof SGR, text: string) => string;

/** Where the run writes: its lines masked, painted when the terminal wants colour. */
interface Terminal {
  io: PipelineIo;
  masker: Masker;
  paint: Paint;
  say(text?: string): void;
}

/** Everything one run knows, filled in phase by phase. */
interface PipelineRun {
  options: PipelineOptions;
  term: Terminal;
  project: ProjectInfo;
  place: BuildPlace;
  /** Where the user typed the command: annotations and the project are shown relative to it. */
  userDir: string;
  /** The project's path as shown. */
  shown: string;
  /** `.work/pipeline` (or FERROWHEEL_PIPELINE_DIR): the workspace, venv and report live here. */
  work: string;
  /** The runner's workspace: the project (or its workspace) copied into `project/`, packages in `dist/`. */
  workspace: string;
  started: number;
  records: StepRecord[];
  cache?: CacheServer;
  index?: PypiServer;
  /** What the steps so far exported (GITHUB_ENV) and put on PATH (GITHUB_PATH). */
  env: Record<string, string | undefined>;
  pathPrefix: string[];
  outputs: Record<string, Record<string, string>>;
  /** The post steps to run, in the order their main steps ran. */
  posts: { label: string; action: string; state: Record<string, string> }[];
  failure?: { step: string; message: string };
  published: boolean;
  installLine?: string;
}

/**
 * The pipeline, as named phases: the project and where it builds; the workspace; the local
 * services; the main steps; the post steps; the install-and-import proof; the closing lines and
 * report. Both servers stop whatever happens.
 */
export async function runPipeline(options: PipelineOptions, io: PipelineIo): Promise<number> {
  const term = terminal(io);
  const chosen = await inspect(options, term);
  if (typeof chosen === 'number') return chosen;
  const run = prepareWorkspace(options, term, chosen);
  try {
    try {
      await startServices(run);
      await runMainSteps(run);
      await runPostSteps(run);
      await verifyInstall(run);
    } catch (thrown) {
      run.failure = { step: run.failure?.step ?? 'pipeline', message: term.masker.apply(messageOf(thrown)) };
    } finally {
      await run.cache?.close();
    }
    const report = close(run);
    await holdIndexIfKept(run, report.html);
  } finally {
    await run.index?.stop();
  }
  return run.failure ? 1 : 0;
}

function terminal(io: PipelineIo): Terminal {
  const masker = new Masker();
  return {
    io,
    masker,
    paint: (code, text) => (io.color ? `\u001b[${SGR[code]}m${text}\u001b[0m` : text),
    say: (text = '') => io.write(`${masker.apply(text)}\n`),
  };
}

/** The project and where it builds; a problem with either ends the run (2: the project's, 1: other). */
async function inspect(
  options: PipelineOptions,
  term: Terminal,
): Promise<{ project: ProjectInfo; place: BuildPlace } | number> {
  try {
    const project = inspectProject(options.project);
    const place = await chooseBuildPlace(options.container, term.io.docker ?? realDocker);
    return { project, place };
  } catch (thrown) {
    term.say(`${term.paint('red', 'error')}: ${messageOf(thrown)}`);
    return thrown instanceof ProjectProblem ? 2 : 1;
  }
}

/**
 * The runner's workspace, as a checkout: the project (or the uv/cargo workspace it is a member
 * of) copied in as `project/`, the packages beside it in `dist/`, so build's out-dir and publish's packages-dir stay inside the workspace
 * and nothing is written into the user's project. A copy, not a link: the actions contain
 * paths by where they really lead, and a link out of the workspace is refused, as on a runner.
 * FERROWHEEL_PIPELINE_DIR moves it (tests give each run its own).
 */
function prepareWorkspace(
  options: PipelineOptions,
  term: Terminal,
  chosen: { project: ProjectInfo; place: BuildPlace },
): PipelineRun {
  const { project, place } = chosen;
  const userDir = process.env.INIT_CWD ?? process.cwd();
  const shown = path.relative(userDir, project.dir) || '.';
  term.say(term.paint('bold', `Pipeline on ${shown} (${project.name})`));
  if (project.root !== project.dir) {
    term.say(
      `  a workspace member: ${path.relative(userDir, project.root) || '.'} is copied, the project is ${path.relative(project.root, project.dir)}`,
    );
  }
  term.say(`  build: ${place.reason}`);
  const work = path.resolve(process.env.FERROWHEEL_PIPELINE_DIR ?? sharedDir('pipeline'));
  const workspace = path.join(work, 'workspace');
  rmSync(workspace, { recursive: true, force: true });
  mkdirSync(path.join(workspace, 'dist'), { recursive: true });
  copyProject(project.root, path.join(workspace, 'project'));
  return {
    options,
    term,
    project,
    place,
    userDir,
    shown,
    work,
    workspace,
    started: performance.now(),
    records: [],
    env: {},
    pathPrefix: [toolsBin],
    outputs: {},
    posts: [],
    published: false,
  };
}

/** The cache server (always) and the package index (when publishing); the cargo target dir. */
async function startServices(run: PipelineRun): Promise<void> {
  run.cache = await startCacheServer();
  if (run.options.publish) {
    run.index = await startPypiServer();
    run.term.masker.add(run.index.password);
  }
  const inRepoExample = path.relative(path.join(repoRoot, 'examples'), run.project.dir);
  const targetDir =
    process.env.CARGO_TARGET_DIR ??
    (!inRepoExample.startsWith('..') && !path.isAbsolute(inRepoExample)
      ? cargoTargetDir('examples')
      : path.join(run.work, 'cargo-target', sha256(run.project.root).slice(0, 16)));
  run.env = { ...run.cache.env, CARGO_TARGET_DIR: targetDir };
}

/** Runs one action step (or post step), its log rendered as it comes, then its progress line. */
async function runStep(
  run: PipelineRun,
  step: { label: string; action: string },
  extra: { inputs?: Record<string, string>; post?: Record<string, string> },
): Promise<{ result: ActionRun; renderer: CommandRenderer }> {
  const { term } = run;
  term.say(`\n${term.paint('bold', `▶ ${step.label}`)}`);
  const renderer = new CommandRenderer({
    write: term.io.write,
    verbose: run.options.verbose,
    color: term.io.color,
    masker: term.masker,
    indent: '  ',
    // Annotations name files relative to the workspace; show them relative to where the user is.
    showFile: (file) => path.relative(run.userDir, userPath(run.workspace, run.project.root, file)) || file,
  });
  const result = await runAction(step.action, {
    ...extra,
    workspace: run.workspace,
    env: { ...run.env, PATH: [...run.pathPrefix, process.env.PATH ?? ''].join(path.delimiter) },
    onLine: (line) => renderer.line(line),
  }).catch(crashed);
  renderer.finish({ failed: result.exitCode !== 0 });
  term.say(progressLine(term.paint, step.label, result.exitCode === 0, result.durationMs));
  return { result, renderer };
}

/** The action steps in order; once one fails, the rest are recorded as not run. */
async function runMainSteps(run: PipelineRun): Promise<void> {
  const context = { place: run.place, index: run.index, wd: workingDirectory(run.project) };
  for (const step of actionSteps(run.options, context)) {
    if (run.failure) {
      run.records.push({ name: step.label, status: 'not run', ms: undefined, summary: '' });
      continue;
    }
    const { result, renderer } = await runStep(run, step, { inputs: step.inputs(run.outputs) });
    const record: StepRecord = {
      name: step.label,
      status: result.exitCode === 0 ? 'ok' : 'failed',
      ms: result.durationMs,
      summary: run.term.masker.apply(result.summary),
    };
    run.records.push(record);
    // The runner runs an action's post step (once per action, whether its main step passed
    // or not), last, in reverse order.
    if (readActionMetadata(step.action).runs.post && !run.posts.some((p) => p.action === step.action)) {
      run.posts.push({ label: `${step.action} (post)`, action: step.action, state: result.state });
    }
    if (result.exitCode !== 0) {
      run.failure = { step: step.label, message: run.term.masker.apply(failureMessage(result, renderer)) };
      record.note = run.failure.message.split('\n', 1).join('');
      continue;
    }
    passOn(run, step.action, result);
    if (step.action === 'publish') {
      run.published = true;
      record.note = `to ${run.index?.simpleUrl}`;
    }
  }
}

/** A failed step's error annotations, else its exit code and the end of its stderr. */
function failureMessage(result: ActionRun, renderer: CommandRenderer): string {
  const errors = renderer.annotations.filter((a) => a.kind === 'error').map((a) => a.message);
  if (errors.length > 0) return errors.join('\n');
  const stderr = result.stderr.trim();
  return `exited with code ${result.exitCode}${stderr ? `: ${stderr.split('\n').slice(-5).join('\n')}` : ''}`;
}

/** What a passed step hands the later ones: its outputs, exported variables and PATH entries. */
function passOn(run: PipelineRun, action: string, result: ActionRun): void {
  run.outputs[action] = result.outputs;
  run.env = { ...run.env, ...result.exportedEnv };
  run.pathPrefix = [...[...result.addedPath].reverse(), ...run.pathPrefix];
}

/** The post steps, last, in reverse; as on a runner, a failing one (a cache save) is reported, not fatal. */
async function runPostSteps(run: PipelineRun): Promise<void> {
  for (const post of [...run.posts].reverse()) {
    const { result } = await runStep(run, post, { post: post.state });
    run.records.push({
      name: post.label,
      status: result.exitCode === 0 ? 'ok' : 'failed',
      ms: result.durationMs,
      summary: run.term.masker.apply(result.summary),
    });
  }
}

/** The proof: the package installs from the index (or the built wheel) into a fresh venv and imports. */
async function verifyInstall(run: PipelineRun): Promise<void> {
  const { term, options } = run;
  const label = options.publish ? 'install from the index' : 'install the wheel';
  if (run.failure) {
    run.records.push({ name: label, status: 'not run', ms: undefined, summary: '' });
    return;
  }
  term.say(`\n${term.paint('bold', `▶ ${label}`)}`);
  const t0 = performance.now();
  const result = await installAndImport({
    project: run.project,
    python: options.pythons[0],
    venv: path.join(run.work, 'verify-venv'),
    from: run.index ? { index: run.index.simpleUrl } : { dir: path.join(run.workspace, 'dist') },
    version: versionOf(run.outputs.build?.wheels ?? ''),
  });
  const ms = performance.now() - t0;
  for (const line of result.log) term.say(`  ${line}`);
  term.say(progressLine(term.paint, label, result.ok, ms));
  run.records.push({ name: label, status: result.ok ? 'ok' : 'failed', ms, summary: '', note: result.line });
  if (result.ok) run.installLine = result.line;
  else run.failure = { step: label, message: result.line };
}

/** The closing lines (what happened, nothing more) and the report; returns the report's files. */
function close(run: PipelineRun): { html: string; markdown: string } {
  const { term, failure } = run;
  term.say(`\n${term.paint('bold', `Pipeline on ${run.shown}`)}`);
  for (const r of run.records) {
    const mark = r.status === 'ok' ? '✓' : r.status === 'failed' ? '✗' : '·';
    const time = r.ms === undefined ? '' : `${(r.ms / 1000).toFixed(1).padStart(6)} s`;
    term.say(`  ${mark} ${r.name.padEnd(24)} ${r.status.padEnd(8)} ${time}`);
  }
  const closing = failure ? [`**Failed at ${failure.step}:** ${failure.message}`] : claims(run);
  if (failure) term.say(`\n${term.paint('red', 'error')}: ${failure.step} failed: ${failure.message}`);
  else for (const line of closing) term.say(`  ${line}`);
  term.say(`  total ${((performance.now() - run.started) / 1000).toFixed(1)} s`);
  const reportDir = run.options.reportDir ?? path.join(run.work, 'report');
  const report = writeReport(
    reportDir,
    `Pipeline on ${run.project.name}`,
    run.records,
    closing.map((c) => term.masker.apply(c)),
  );
  term.say(`  report (Markdown): ${report.markdown}`);
  return report;
}

/** What a run that passed did: built, published, installed. */
function claims(run: PipelineRun): string[] {
  const { options, project, place, index } = run;
  const tested = options.pythons.length > 0 ? `Python ${options.pythons.join(', ')}` : 'the python on PATH';
  return [
    `built ${project.name} ${place.where}${options.sdist ? ', with its sdist' : ''}; tested with ${tested}`,
    ...(run.published && index ? [`published to ${index.simpleUrl}`] : []),
    ...(run.installLine ? [run.installLine] : []),
  ];
}

/** With --keep, a run that passed leaves the index up until Ctrl-C. */
async function holdIndexIfKept(run: PipelineRun, reportHtml: string): Promise<void> {
  const { term, index } = run;
  if (index && run.options.keep && !run.failure) {
    term.say(`Index left running at ${index.simpleUrl} (Ctrl-C stops it).`);
    term.say(`report: ${reportHtml}`);
    await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  } else {
    term.say(`report: ${reportHtml}`);
  }
}

function progressLine(paint: Paint, label: string, ok: boolean, ms: number): string {
  return `${ok ? paint('green', '✓') : paint('red', '✗')} ${label} ${paint('dim', `${(ms / 1000).toFixed(1)} s`)}${ok ? '' : ` ${paint('red', 'failed')}`}`;
}

/** A step whose node process could not even start. */
function crashed(thrown: unknown): ActionRun {
  const message = messageOf(thrown);
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

/** build's `pgo`: a script's path is relative to the workspace, where the project is `wd`. */
function pgoInput(pgo: PipelineOptions['pgo'], wd: string): string {
  if (pgo.kind === 'off') return 'false';
  return pgo.kind === 'pyproject' ? 'true' : `${wd}/${pgo.script}`;
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
        audit: options.audit,
        // The cache service is this run's own local server: a cache saved there dies with it,
        // while the cargo target dir (CARGO_TARGET_DIR) persists between runs anyway.
        cache: 'false',
        reproducible: String(options.reproducible),
        pgo: pgoInput(options.pgo, wd),
        'pgo-measure': String(options.pgoMeasure),
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
