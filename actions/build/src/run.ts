/**
 * The build, as a list of named phases: plan (where it runs: a strategy), preflight (check the
 * project), cargo layout (one `cargo metadata`), cache (restore), compile (the strategy runs
 * before-build and maturin), diagnose (name the real cause of a failure), collect (the wheels,
 * checked), report (outputs and summary). Host and container builds differ only behind the
 * BuildStrategy interface (strategy.ts, container-strategy.ts).
 */
import { mkdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as core from '@actions/core';
import { defaultImage } from '@ferrowheel/kit/build-images';
import {
  type CacheClient,
  type CargoWorkspace,
  cargoHome,
  readCargoWorkspace,
  restoreCargoCacheStep,
  saveCargoCacheStep,
} from '@ferrowheel/kit/cargo-cache';
import { UserError } from '@ferrowheel/kit/errors';
import { childEnv, type Exec, exec as realExec } from '@ferrowheel/kit/exec';
import { pathKind, sha256File } from '@ferrowheel/kit/files';
import { logText } from '@ferrowheel/kit/log-text';
import { setOutput } from '@ferrowheel/kit/outputs';
import { extensionModuleSuffix } from '@ferrowheel/kit/platform';
import { pyo3VersionOf, readForwardCompatibility } from '@ferrowheel/kit/pyo3-version';
import type { PythonBuild, PythonBuildFailure } from '@ferrowheel/kit/python-builds';
import type { Result } from '@ferrowheel/kit/result';
import { withoutRustcMatcher } from '@ferrowheel/kit/rust-matcher';
import { writeSummary } from '@ferrowheel/kit/summary';
import { findExtensionModule } from '@ferrowheel/kit/wheel-contents';
import { zipEntryNames } from '@ferrowheel/kit/zip';
import { describeWheel, recentArtifacts, reportedArtifacts, type WheelInfo } from './artifacts.js';
import type { AuditOutcome } from './audit.js';
import { beforeBuildEnv } from './before-build.js';
import { rustcVerbose } from './build-host.js';
import { buildSummary } from './build-summary.js';
import { messageParser } from './compiler-messages.js';
import { containerProblem, containerStrategy, unusableImageError } from './container-strategy.js';
import { describeFailure, diagnose } from './diagnosis.js';
import { checkHostInterpreters, type Inputs, readInputs } from './inputs.js';
import { type MaturinCall, maturinCalls } from './maturin-calls.js';
import { type PgoIntent, type PgoPlan, pgoIntent, pgoRoot, planPgo } from './pgo.js';
import { compileWithPgo, type PgoReport } from './pgo-build.js';
import { type Finding, preflight, pythonVersionOf } from './preflight.js';
import { expectedModuleName, type Project, readProject, usesPyo3 } from './project.js';
import { type CallOutcome, missingVersionsMessage, pythonOutcomes } from './python-outcomes.js';
import { checkInterpreterVersions, type VersionPreflight } from './python-preflight.js';
import {
  type BaseRustflags,
  normaliseWheels,
  prepareReproducible,
  type Reproducibility,
  reproducibleClaim,
  reproducibleFlags,
  rustflagsEnv,
  userRustflags,
} from './reproducibility.js';
import { hasPathDependencies } from './reproducible.js';
import {
  type BuildStrategy,
  type CallRun,
  type Compiled,
  type CompileRequest,
  hostStrategy,
} from './strategy.js';

export interface Deps {
  exec: Exec;
  /** The runner user's uid/gid, to give container-written files back. */
  owner: () => { uid: number; gid: number };
  /** The cache service client; default: @actions/cache, loaded only when caching. */
  cacheClient?: CacheClient;
}

export const defaultDeps: Deps = {
  exec: realExec,
  owner: () => {
    const info = os.userInfo();
    return { uid: info.uid, gid: info.gid };
  },
};

export interface BuildResult {
  wheels: WheelInfo[];
  sdist: string | undefined;
  /** Each interpreter asked for: built with its wheels, or failed and why ([] when maturin chose). */
  pythons: PythonBuild[];
}

/** Plan: where the build runs (a strategy). A container the user asked for must be usable. */
async function plan(inputs: Inputs, deps: Deps): Promise<BuildStrategy> {
  const host = hostStrategy(deps.exec);
  const container = (image: string) => containerStrategy(image, deps);
  if (inputs.container.kind === 'off') return host;
  if (inputs.container.kind === 'image') {
    const image = inputs.container.image;
    const problem = await containerProblem(deps.exec, image);
    if (problem !== undefined) throw unusableImageError(image, problem);
    return container(image);
  }
  // auto: a container on Linux, for a Linux target, unless zig does the old-glibc linking on the
  // host or the plain linux tag is asked for; and only when the engine and the image are there.
  if (inputs.runner.platform.os !== 'linux' || inputs.target.os !== 'linux') return host;
  if (inputs.zig || inputs.compatibility.kind === 'off') return host;
  const image = defaultImage(inputs.target, inputs.compatibility, inputs.runner.platform.arch);
  if (!image.ok) {
    core.info(logText`container: auto — ${image.problem}; building on the host.`);
    return host;
  }
  const problem = await containerProblem(deps.exec, image.value);
  if (problem === undefined) return container(image.value);
  if (problem.kind === 'no-engine') {
    core.info(logText`container: auto — ${problem.message}, so the build runs on the host.`);
  } else {
    core.warning(
      `container: auto — ${problem.message}. Building on the host instead: the wheel's glibc level is then the runner's. Pre-pull the image, or set 'container' to an image this runner has, or 'container: off' to silence this.`,
    );
  }
  return host;
}

function relativeTo(workspace: string, file: string): string {
  return path.relative(workspace, file).split(path.sep).join('/');
}

function annotate(finding: Finding, workspace: string): void {
  const properties = {
    ...(finding.file ? { file: relativeTo(workspace, finding.file) } : {}),
    ...(finding.line ? { startLine: finding.line } : {}),
  };
  if (finding.level === 'error') core.error(finding.message, properties);
  else core.warning(finding.message, properties);
}

/** Preflight: the project checked against where it builds; errors stop before compiling. */
async function preflightPhase(
  inputs: Inputs,
  project: Project,
  strategy: BuildStrategy,
): Promise<VersionPreflight> {
  if (strategy.kind === 'host') checkHostInterpreters(inputs.interpreters, inputs.workingDirectory);
  const probes = await strategy.probes(inputs);
  const interpreters =
    inputs.interpreters.kind === 'list'
      ? inputs.interpreters.items.map((item) => ({ label: item, version: pythonVersionOf(item) }))
      : probes.defaultPython
        ? [probes.defaultPython]
        : undefined;
  const findings = preflight({
    project,
    interpreters,
    target: inputs.target,
    installedTargets: probes.installedTargets,
  });
  for (const finding of findings) annotate(finding, inputs.runner.workspace);
  const errors = findings.filter((f) => f.level === 'error');
  if (errors.length > 0) {
    throw new UserError(
      `Preflight found ${errors.length} problem(s) in the project; nothing was compiled. Fix the error(s) above and push again.`,
    );
  }
  const versions = versionsPreflight(inputs, project);
  core.info(
    logText`preflight: ${findings.length === 0 ? 'all checks passed' : `${findings.length} warning(s)`}${versions.dropped.length > 0 ? `; ${versions.dropped.length} version(s) the project's PyO3 cannot build left out` : ''}`,
  );
  return versions;
}

/**
 * The interpreters asked for against the project's PyO3: a version it cannot build is left out of
 * the maturin calls (an error annotation naming it, the PyO3 version and both fixes); the others
 * still build, and the step fails at the end because a wheel asked for is missing.
 */
function versionsPreflight(inputs: Inputs, project: Project): VersionPreflight {
  if (inputs.interpreters.kind !== 'list' || !usesPyo3(project)) {
    return {
      keep: inputs.interpreters.kind === 'list' ? inputs.interpreters.items : [],
      dropped: [],
      warnings: [],
    };
  }
  const { workspace, env } = inputs.runner;
  const pyo3 = pyo3VersionOf(project.layout);
  const checked = checkInterpreterVersions(inputs.interpreters.items, pyo3, {
    forwardCompatibility: readForwardCompatibility(inputs.workingDirectory, env, { stop: workspace }),
    relative: (file) => relativeTo(workspace, file),
  });
  for (const warning of checked.warnings) core.warning(warning);
  for (const dropped of checked.dropped) {
    core.error(dropped.failure.message, { title: `CPython ${dropped.python}: PyO3 too old` });
  }
  if (checked.keep.length === 0) {
    setOutput('python-builds', JSON.stringify(checked.dropped));
    throw new UserError(
      "The project's PyO3 can build none of the interpreters asked for; nothing was compiled. See the error annotation(s) above.",
    );
  }
  return checked;
}

/** Cargo layout: the workspace (one `cargo metadata` per build), its target dir, cargo's home. */
interface CargoLayout {
  crateDir: string;
  root: string;
  targetDir: string;
  cargoHome: string;
  /** What `cargo metadata` said, or why it said nothing (then there is no cache). */
  workspace: Result<CargoWorkspace>;
  /** `rustc -vV` of the host toolchain (the cache key's toolchain part), when it runs. */
  rustcVerbose: string | undefined;
  env: Record<string, string>;
}

async function cargoLayout(inputs: Inputs, deps: Deps, project: Project): Promise<CargoLayout> {
  const env = childEnv({}, inputs.runner.env);
  const crateDir = path.dirname(project.cargoToml);
  const workspace = await readCargoWorkspace(crateDir, { exec: deps.exec, env });
  const { root, targetDir } = !workspace.ok
    ? {
        root: crateDir,
        // Cargo reads a relative CARGO_TARGET_DIR from where it runs (maturin's cwd); docker
        // would take a relative --volume source for a named volume.
        targetDir: env.CARGO_TARGET_DIR
          ? path.resolve(inputs.workingDirectory, env.CARGO_TARGET_DIR)
          : path.join(crateDir, 'target'),
      }
    : workspace.value;
  // Pin the target dir cargo would use anyway, so a container (mounting it) and the cache agree.
  env.CARGO_TARGET_DIR = targetDir;
  return {
    crateDir,
    root,
    targetDir,
    cargoHome: cargoHome({ os: inputs.runner.platform.os, env }),
    workspace,
    rustcVerbose: await rustcVerbose(deps.exec),
    env,
  };
}

/** What ferrowheel adds to the build's environment: reproducibility and the base rustflags. */
interface BuildSettings {
  reproducibility: Reproducibility;
  /** Undefined when no flag of ours is added: the user's environment is left as it is. */
  rustflags: BaseRustflags | undefined;
}

/**
 * Settings: SOURCE_DATE_EPOCH and the path remapping (reproducible builds), on top of the user's
 * own rustflags. Before the cache is restored: the flags are part of what the cache is keyed by.
 */
async function settingsPhase(
  inputs: Inputs,
  deps: Deps,
  facts: { project: Project; layout: CargoLayout; strategy: BuildStrategy },
): Promise<BuildSettings> {
  const { layout, strategy } = facts;
  const where = {
    exec: deps.exec,
    env: layout.env,
    cargoHome: layout.cargoHome,
    container: strategy.kind === 'container',
  };
  // One package without path dependencies: the checkout's paths are compiled into that crate only.
  const singleCrate =
    layout.workspace.ok &&
    layout.workspace.value.manifests.length === 1 &&
    !hasPathDependencies(facts.project.cargo);
  const reproducibility = await prepareReproducible({
    inputs,
    targetDir: layout.targetDir,
    singleCrate,
    ...where,
  });
  if (reproducibility.kind === 'off' && inputs.pgo.kind === 'off')
    return { reproducibility, rustflags: undefined };
  const flags = reproducibleFlags(reproducibility);
  const effective = await userRustflags({ inputs, ...where, image: strategy.image });
  const rustflags = { effective, added: flags.global, crate: flags.crate };
  Object.assign(layout.env, rustflagsEnv(rustflags));
  return { reproducibility, rustflags };
}

/** PGO: the llvm-profdata found where the build runs, before anything compiles (pgo.ts). */
async function pgoPhase(
  intent: PgoIntent,
  where: {
    inputs: Inputs;
    strategy: BuildStrategy;
    layout: CargoLayout;
    /** The interpreters of the calls, after the PyO3 check (callInterpreters). */
    interpreters: Inputs['interpreters'];
  },
): Promise<PgoPlan> {
  if (intent.kind !== 'train') return intent;
  const { inputs, strategy, layout, interpreters } = where;
  const run = strategy.runner({
    inputs,
    env: layout.env,
    cargoHome: layout.cargoHome,
    targetDir: layout.targetDir,
    extraMounts: [pgoRoot(inputs)],
  });
  return core.group('PGO', () =>
    planPgo({ intent, inputs, interpreters, strategy, run, rustcVerbose: layout.rustcVerbose }),
  );
}

/** Where the main step leaves the cache key for the post step's save. */
const CACHE_STATE = 'ferrowheel-build-cargo-cache';

/**
 * Cache: restore registry, git checkouts and target dir with kit's one orchestration (keyed like
 * rust-cache, shared with setup-rust). The same host paths serve a container build: they are what
 * the container mounts, so one restore before and one save after cover both. The key gets
 * `build-<triple>[-container]`, so host and container builds, and builds for different targets,
 * never overwrite each other's dependencies. True on an exact hit; undefined when not caching.
 */
async function restoreCache(
  inputs: Inputs,
  deps: Deps,
  layout: CargoLayout,
  strategy: BuildStrategy,
): Promise<boolean | undefined> {
  if (!inputs.cache) return undefined;
  const restored = await restoreCargoCacheStep({
    workingDirectory: layout.crateDir,
    workspace: layout.workspace,
    platform: inputs.runner.platform,
    cargoHome: layout.cargoHome,
    targetDir: layout.targetDir,
    rustcVersion: layout.rustcVerbose,
    env: layout.env,
    extraKey: `build-${inputs.target.triple}${strategy.kind === 'container' ? '-container' : ''}`,
    exec: deps.exec,
    stateName: CACHE_STATE,
    ...(layout.env.GITHUB_JOB ? { job: layout.env.GITHUB_JOB } : {}),
    ...(deps.cacheClient ? { client: deps.cacheClient } : {}),
  });
  return restored === undefined ? undefined : restored.restored.hit === 'exact';
}

/** sccache on the host when asked and installed; never in a container (images lack it). */
async function configureSccache(
  inputs: Inputs,
  deps: Deps,
  strategy: BuildStrategy,
  env: Record<string, string>,
) {
  if (!inputs.sccache) return;
  if (strategy.kind === 'container') {
    core.warning(
      `sccache: true is not supported inside a container (${strategy.image} has no sccache); building without it. The cargo cache still covers the container build.`,
    );
    return;
  }
  const probe = await deps
    .exec('sccache', ['--version'], { silent: true, allowFailure: true })
    .catch(() => undefined);
  if (probe?.exitCode === 0) {
    env.RUSTC_WRAPPER = 'sccache';
    // sccache's GitHub cache backend speaks whichever protocol the runner offers.
    if (env.ACTIONS_RESULTS_URL || env.ACTIONS_CACHE_URL) env.SCCACHE_GHA_ENABLED = 'true';
  } else {
    core.warning(
      'sccache: true, but sccache is not on PATH; building without it. Install it first (e.g. mozilla-actions/sccache-action).',
    );
  }
}

/** The interpreters of the calls: the list preflight kept, or maturin's choice. */
function callInterpreters(inputs: Inputs, strategy: BuildStrategy, keep: string[]): Inputs['interpreters'] {
  if (inputs.interpreters.kind === 'list') return { kind: 'list', items: keep };
  // A manylinux image's `python3` is the OS's old one, not a CPython to build for; its CPythons
  // live in /opt/python, which --find-interpreter searches (and filters by requires-python).
  if (strategy.kind === 'container' && inputs.interpreters.kind === 'default') {
    core.info("interpreters: every CPython of the image ('find')");
    return { kind: 'find' };
  }
  return inputs.interpreters;
}

/** The step's maturin calls, the hook's data and the annotations of their output. */
function compileRequest(
  inputs: Inputs,
  strategy: BuildStrategy,
  facts: { layout: CargoLayout; calls: MaturinCall[]; matcherSuspended: boolean },
): CompileRequest {
  const { layout } = facts;
  mkdirSync(inputs.outDir, { recursive: true });
  const hookEnv = beforeBuildEnv({
    target: inputs.target.triple,
    outDir: inputs.outDir,
    workingDirectory: inputs.workingDirectory,
    manylinux:
      inputs.compatibility.kind === 'manylinux' || inputs.compatibility.kind === 'musllinux'
        ? inputs.compatibility.tag
        : inputs.compatibility.kind,
    interpreters: inputs.interpreters.kind === 'list' ? inputs.interpreters.items : [],
    container: strategy.kind === 'container',
  });
  const parser = messageParser({
    workspace: inputs.runner.workspace,
    roots: [layout.root, layout.crateDir, inputs.workingDirectory],
    exists: (f) => pathKind(f) === 'file',
  });
  // Errors are annotated; warnings too while setup-rust's matcher is off, as it would have.
  const onLine = (line: string) => {
    const message = parser.push(line);
    if (message === undefined || (message.level === 'warning' && !facts.matcherSuspended)) return;
    const annotation = { file: message.file, startLine: message.line, startColumn: message.column };
    if (message.level === 'error') core.error(message.message, annotation);
    else core.warning(message.message, annotation);
  };
  return {
    inputs,
    env: layout.env,
    calls: facts.calls,
    hookEnv,
    cargoHome: layout.cargoHome,
    targetDir: layout.targetDir,
    rustcVerbose: layout.rustcVerbose,
    onLine,
    relative: (file: string) => relativeTo(inputs.runner.workspace, file),
  };
}

/**
 * Compile: the step's maturin calls run by the strategy, or PGO's phases around them
 * (pgo-build.ts: its optimised build runs the same calls, so the outcomes per interpreter are
 * the optimised build's).
 */
async function compile(
  inputs: Inputs,
  strategy: BuildStrategy,
  facts: { layout: CargoLayout; settings: BuildSettings; pgo: PgoPlan; calls: MaturinCall[] },
): Promise<{ compiled: Compiled; pgoReport: PgoReport }> {
  const { settings, pgo } = facts;
  return withoutRustcMatcher(inputs.runner.env, core.info, async (matcherSuspended) => {
    const request = compileRequest(inputs, strategy, { ...facts, matcherSuspended });
    if (pgo.kind !== 'on' || settings.rustflags === undefined) {
      const summary = pgo.kind === 'skipped' ? [`PGO: skipped: ${pgo.reason}.`] : [];
      return { compiled: await strategy.compile(request), pgoReport: { summary } };
    }
    // A container mounts PGO's directory too; commands other than maturin run where maturin runs.
    const pgoRequest = { ...request, extraMounts: [pgoRoot(inputs)] };
    const { compiled, ...pgoReport } = await compileWithPgo({
      plan: pgo,
      inputs,
      strategy,
      request: pgoRequest,
      rustflags: settings.rustflags,
      exec: strategy.runner(pgoRequest),
    });
    return { compiled, pgoReport };
  });
}

/** A failed call's typed failure; its known failures annotated with their fixes. */
function failedCall(run: CallRun, project: Project): PythonBuildFailure {
  const known = diagnose(run.log, project);
  for (const failure of known)
    core.error(describeFailure(failure), { title: `Known failure: ${failure.id}` });
  return {
    kind: 'maturin-failed',
    exitCode: run.exitCode,
    known: known.map((f) => f.id),
    message: `maturin build failed with exit code ${run.exitCode}. ${
      known.length > 0
        ? 'The cause and fix are in the error annotation(s) above.'
        : 'See the compiler errors above and the build log.'
    }`,
  };
}

/**
 * Diagnose: each call's outcome — its failure named by its real cause, or the wheels it reported.
 * A run that failed before maturin (docker, the container script) fails the step as that; a
 * "built" wheel Python cannot import fails it too.
 */
function diagnosePhase(
  compiled: Compiled,
  strategy: BuildStrategy,
  project: Project,
): { call: MaturinCall; result: CallResult }[] {
  if (compiled.run.exitCode !== 0) {
    const notMaturin = strategy.explainFailure(compiled.run, compiled.log);
    if (notMaturin !== undefined) throw new UserError(notMaturin);
  }
  return compiled.ran.map((run) => {
    if (run.exitCode !== 0)
      return { call: run.call, result: { ok: false, failure: failedCall(run, project) } };
    // Failures maturin only warns about, though the wheel cannot be imported.
    const broken = diagnose(run.log, project).filter((f) => f.failsEvenWhenBuilt);
    for (const failure of broken)
      core.error(describeFailure(failure), { title: `Known failure: ${failure.id}` });
    if (broken.length > 0) {
      throw new UserError(
        'maturin built a wheel that Python cannot import; the cause and fix are in the error annotation(s) above.',
      );
    }
    return { call: run.call, result: { ok: true, log: run.log } };
  });
}

type CallResult = { ok: true; log: string } | { ok: false; failure: PythonBuildFailure };

/** Collect: the wheels and sdist the calls reported (or left in out-dir), checked, and each version's outcome. */
async function collect(
  inputs: Inputs,
  project: Project,
  build: {
    calls: MaturinCall[];
    results: { call: MaturinCall; result: CallResult }[];
    dropped: PythonBuild[];
    started: number;
    settings: BuildSettings;
  },
): Promise<BuildResult> {
  const ran: CallOutcome[] = [];
  const paths: string[] = [];
  let sdistPath: string | undefined;
  for (const { call, result } of build.results) {
    if (!result.ok) {
      ran.push({ call, ok: false, failure: result.failure });
      continue;
    }
    const reported = reportedArtifacts(result.log);
    const found = reported.wheels.length > 0 ? reported : recentArtifacts(inputs.outDir, build.started);
    paths.push(...found.wheels.map((w) => path.resolve(inputs.workingDirectory, w)));
    sdistPath ??= found.sdist ? path.resolve(inputs.workingDirectory, found.sdist) : undefined;
    ran.push({ call, ok: true, wheels: found.wheels.map((w) => path.basename(w)) });
  }
  const pythons = pythonOutcomes({ calls: build.calls, ran, dropped: build.dropped });
  const unique = [...new Set(paths)];
  normaliseWheels(build.settings.reproducibility, unique);
  const wheels = await Promise.all(unique.map((w) => describeWheel(w)));
  if (wheels.length === 0 && ran.every((r) => r.ok)) {
    throw new UserError(
      `maturin succeeded but no wheel appeared in ${inputs.outDir}. Check 'args' for options that change the output (--out), or the build log.`,
    );
  }
  for (const wheel of wheels) core.info(logText`wheel: ${wheel.filename} (${wheel.tags.join(', ')})`);
  checkExtensionModules(wheels, project, inputs);
  return { wheels, sdist: sdistPath, pythons };
}

/** Audit: every wheel checked before it leaves the job (src/audit.ts; kit's audit, loaded lazily). */
function audit(
  inputs: Inputs,
  deps: Deps,
  built: BuildResult,
  context: { project: Project; layout: CargoLayout; strategy: BuildStrategy; settings: BuildSettings },
): Promise<AuditOutcome | undefined> {
  return core.group('Audit', async () => {
    // Loaded only here (with kit's audit), so the build's start-up does not grow.
    const { auditPhase, remappedRoots } = await import('./audit.js');
    return auditPhase(inputs, deps, built.wheels, {
      project: context.project,
      facts: {
        cargoHome: context.layout.cargoHome,
        targetDir: context.layout.targetDir,
        inContainer: context.strategy.kind === 'container',
        remapped: remappedRoots(context.settings.reproducibility),
      },
    });
  });
}

/**
 * A wheel asked for is missing: the step fails, after the others were reported for upload. With
 * no list (maturin chose the interpreters) there is nothing per version: its call's failure.
 */
function missingVerdict(built: BuildResult, results: { result: CallResult }[]): void {
  const unbuilt = results.find((r) => !r.result.ok)?.result;
  const missing =
    missingVersionsMessage(built.pythons) ?? (unbuilt && !unbuilt.ok ? unbuilt.failure.message : undefined);
  if (missing !== undefined) throw new UserError(missing);
}

/** The audit's verdict, after the outputs and the summary are written: `audit: error` fails the step. */
function auditVerdict(audited: AuditOutcome | undefined): void {
  if (!audited?.verdict.fails) return;
  const { errors, toolsMissing } = audited.verdict;
  throw new UserError(
    `The audit of the built wheels failed: ${[
      ...(errors > 0 ? [`${errors} finding(s)`] : []),
      ...(toolsMissing ? ['its tools could not be installed'] : []),
    ].join(
      ', and ',
    )} (see the error annotations above, each with its fix). Fix them, or set 'audit' to warn to let the wheels through with warnings.`,
  );
}

/** Report: outputs and the job summary. */
async function report(
  inputs: Inputs,
  built: BuildResult,
  facts: {
    strategy: BuildStrategy;
    cacheHit: boolean | undefined;
    started: number;
    settings: BuildSettings;
    pgo: { plan: PgoPlan; report: PgoReport };
    audit: string | undefined;
  },
): Promise<void> {
  const { wheels, sdist } = built;
  setOutput('python-builds', JSON.stringify(built.pythons));
  setOutput('wheels', JSON.stringify(wheels));
  setOutput('sdist', sdist ?? '');
  setOutput('out-dir', inputs.outDir);
  setOutput('cache-hit', String(facts.cacheHit === true));
  const gain = facts.pgo.report.gain;
  setOutput('pgo-gain', gain ? JSON.stringify(gain) : '');
  await writeSummary(
    'Wheels',
    buildSummary({
      wheels,
      sdist: sdist ? { path: sdist, size: statSync(sdist).size, sha256: await sha256File(sdist) } : undefined,
      target: inputs.target.triple,
      durationMs: Date.now() - facts.started,
      where: facts.strategy.where,
      cacheHit: facts.cacheHit,
      pythons: built.pythons,
      reproducible: reproducibleClaim(facts.settings.reproducibility, { pgo: facts.pgo.plan.kind === 'on' }),
      pgo: facts.pgo.report.summary,
    }) + (facts.audit ?? ''),
  );
}

export async function run(inputs: Inputs = readInputs(), deps: Deps = defaultDeps): Promise<BuildResult> {
  const started = Date.now();
  const project = readProject(inputs.workingDirectory, {
    workspace: inputs.runner.workspace,
    manifestPath: inputs.manifestPath,
  });
  const { strategy, intent } = await core.group('Plan', async () => {
    const chosen = await plan(inputs, deps);
    core.info(logText`target: ${inputs.target.triple}${inputs.targetExplicit ? '' : ' (host)'}`);
    core.info(logText`where: ${chosen.kind === 'container' ? `container ${chosen.image}` : 'host'}`);
    return { strategy: chosen, intent: pgoIntent(inputs, project) };
  });
  const versions = await core.group('Preflight', () => preflightPhase(inputs, project, strategy));
  const layout = await cargoLayout(inputs, deps, project);
  const settings = await core.group('Settings', () =>
    settingsPhase(inputs, deps, { project, layout, strategy }),
  );
  // Before PGO: its training interpreter must be one the calls build (not one PyO3 cannot).
  const interpreters = callInterpreters(inputs, strategy, versions.keep);
  const pgo = await pgoPhase(intent, { inputs, strategy, layout, interpreters });
  const cacheHit = await restoreCache(inputs, deps, layout, strategy);
  await configureSccache(inputs, deps, strategy, layout.env);
  const buildStarted = Date.now();
  const calls = maturinCalls({ ...inputs, interpreters, rustcArgs: settings.rustflags?.crate ?? [] });
  const { compiled, pgoReport } = await compile(inputs, strategy, { layout, settings, pgo, calls });
  core.debug(`maturin took ${Date.now() - buildStarted} ms`);
  const results = diagnosePhase(compiled, strategy, project);
  const built = await collect(inputs, project, {
    calls,
    results,
    dropped: versions.dropped,
    started: buildStarted,
    settings,
  });
  const audited = await audit(inputs, deps, built, { project, layout, strategy, settings });
  await report(inputs, built, {
    strategy,
    cacheHit,
    started,
    settings,
    pgo: { plan: pgo, report: pgoReport },
    audit: audited?.summary,
  });
  missingVerdict(built, results);
  auditVerdict(audited);
  return built;
}

/** Every pyo3 wheel must hold its extension module with the suffix the target OS loads. */
function checkExtensionModules(wheels: WheelInfo[], project: Project, inputs: Inputs): void {
  const moduleName = expectedModuleName(project);
  if (!usesPyo3(project) || moduleName === undefined) return;
  const missing = wheels.filter(
    (w) => !findExtensionModule(zipEntryNames(w.path), moduleName, inputs.target.os),
  );
  for (const wheel of missing) {
    core.error(
      `${wheel.filename} holds no extension module '${moduleName}' (${moduleName}.*${extensionModuleSuffix(inputs.target.os)}), so importing it would fail. Check [lib] crate-type (it needs "cdylib") and the module name ([lib] name / [tool.maturin] module-name).`,
    );
  }
  if (missing.length > 0) {
    throw new UserError(
      `${missing.length} wheel(s) lack the extension module; see the error annotation(s) above.`,
    );
  }
}

/** The post step: save the cargo cache the main step restored or missed. Never fails the job. */
export async function post(deps: Pick<Deps, 'cacheClient'> = {}): Promise<void> {
  await saveCargoCacheStep({
    stateName: CACHE_STATE,
    ...(deps.cacheClient ? { client: deps.cacheClient } : {}),
  });
}
