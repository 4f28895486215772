/**
 * The build: read the project, check it (preflight), pick host or container, run maturin with
 * its diagnostics turned into annotations, diagnose a failure, describe the wheels.
 */
import { mkdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as core from '@actions/core';
import { type CacheClient, cargoHome, readCargoWorkspace } from '@ferrowheel/kit/cargo-cache';
import { CommandError, UserError } from '@ferrowheel/kit/errors';
import { childEnv, type Exec, exec as realExec } from '@ferrowheel/kit/exec';
import { pathKind, sha256File } from '@ferrowheel/kit/files';
import { logText } from '@ferrowheel/kit/log-text';
import { setOutput } from '@ferrowheel/kit/outputs';
import { extensionModuleSuffix } from '@ferrowheel/kit/platform';
import { writeSummary } from '@ferrowheel/kit/summary';
import { findExtensionModule } from '@ferrowheel/kit/wheel-contents';
import { zipEntryNames } from '@ferrowheel/kit/zip';
import { describeWheel, recentArtifacts, reportedArtifacts, type WheelInfo } from './artifacts.js';
import { beforeBuildCommand, beforeBuildEnv } from './before-build.js';
import { restoreBuildCache, saveBuildCache } from './build-cache.js';
import {
  defaultPythonVersion,
  dockerEngineAvailable,
  installedRustTargets,
  maturinVersion,
  resolveExecutable,
  rustcRelease,
  rustcVerbose,
} from './build-host.js';
import { buildSummary } from './build-summary.js';
import { messageParser } from './compiler-messages.js';
import { defaultImage, dockerBuildArgs, dockerChownArgs, forwardedEnvNames } from './container.js';
import { describeFailure, diagnose } from './diagnosis.js';
import { type Inputs, readInputs } from './inputs.js';
import { maturinBuildArgs } from './maturin-args.js';
import { type Finding, preflight, pythonVersionOf } from './preflight.js';
import { expectedModuleName, type Project, readProject, usesPyo3 } from './project.js';

export interface Deps {
  exec: Exec;
  env: NodeJS.ProcessEnv;
  /** The runner user's uid/gid, to give container-written files back. */
  owner: () => { uid: number; gid: number };
  /** The cache service client; default: @actions/cache, loaded only when caching. */
  cacheClient?: CacheClient;
}

export const defaultDeps: Deps = {
  exec: realExec,
  env: process.env,
  owner: () => {
    const info = os.userInfo();
    return { uid: info.uid, gid: info.gid };
  },
};

export interface BuildResult {
  wheels: WheelInfo[];
  sdist: string | undefined;
}

/** Where the build runs: the host, or a container image. */
async function chooseImage(inputs: Inputs, deps: Deps): Promise<string | undefined> {
  if (inputs.container.kind === 'off') return undefined;
  if (inputs.container.kind === 'image') return inputs.container.image;
  // auto: a container on Linux, for a Linux target, unless zig does the old-glibc linking on the
  // host, the plain linux tag is asked for, or there is no docker engine to run it.
  if (inputs.platform.os !== 'linux' || inputs.target.os !== 'linux') return undefined;
  if (inputs.zig || inputs.compatibility.kind === 'off') return undefined;
  if (!(await dockerEngineAvailable(deps.exec))) {
    core.info('container: auto — no docker engine answers, so the build runs on the host.');
    return undefined;
  }
  const image = defaultImage(inputs.target, inputs.compatibility, inputs.platform.arch);
  if (!image.ok) {
    core.info(logText`container: auto — ${image.problem}; building on the host.`);
    return undefined;
  }
  return image.value;
}

/** The host's maturin version pinned for the container, so both build the same way. */
async function maturinRequirement(exec: Exec, maturin: string): Promise<string> {
  const version = await maturinVersion(exec, maturin);
  return version ? `maturin==${version}` : 'maturin';
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

export async function run(inputs: Inputs = readInputs(), deps: Deps = defaultDeps): Promise<BuildResult> {
  const started = Date.now();
  const project = readProject(inputs.workingDirectory, inputs.manifestPath);

  const image = await core.group('Plan', async () => {
    const chosen = await chooseImage(inputs, deps);
    core.info(logText`target: ${inputs.target.triple}${inputs.targetExplicit ? '' : ' (host)'}`);
    core.info(logText`where: ${chosen ? `container ${chosen}` : 'host'}`);
    return chosen;
  });

  await core.group('Preflight', async () => {
    let interpreters: { label: string; version: string | undefined }[] | undefined;
    if (inputs.interpreters.kind === 'list') {
      interpreters = inputs.interpreters.items.map((item) => ({
        label: item,
        version: pythonVersionOf(item),
      }));
    } else if (inputs.interpreters.kind === 'default' && image === undefined) {
      const version = await defaultPythonVersion(deps.exec, inputs.platform.os);
      interpreters = [{ label: 'the default python', version }];
    }
    const installedTargets = image === undefined ? await installedRustTargets(deps.exec) : undefined;
    const findings = preflight({ project, interpreters, target: inputs.target, installedTargets });
    for (const finding of findings) annotate(finding, inputs.workspace);
    const errors = findings.filter((f) => f.level === 'error');
    if (errors.length > 0) {
      throw new UserError(
        `Preflight found ${errors.length} problem(s) in the project; nothing was compiled. Fix the error(s) above and push again.`,
      );
    }
    core.info(
      logText`preflight: ${findings.length === 0 ? 'all checks passed' : `${findings.length} warning(s)`}`,
    );
  });

  const env = childEnv({}, deps.env);
  const crateDir = path.dirname(project.cargoToml);
  const workspace = await readCargoWorkspace(crateDir, { exec: deps.exec, env });
  const layout = !workspace.ok
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
  env.CARGO_TARGET_DIR = layout.targetDir;
  const home = cargoHome({ os: inputs.platform.os, env });
  const rustc = await rustcVerbose(deps.exec);
  const cacheHit = inputs.cache
    ? await restoreBuildCache({
        crateDir,
        platform: inputs.platform,
        cargoHome: home,
        targetDir: layout.targetDir,
        rustcVerbose: rustc,
        env,
        extraKey: `build-${inputs.target.triple}${image ? '-container' : ''}`,
        exec: deps.exec,
        ...(deps.cacheClient ? { client: deps.cacheClient } : {}),
      })
    : undefined;
  if (inputs.sccache && image !== undefined) {
    core.warning(
      `sccache: true is not supported inside a container (${image} has no sccache); building without it. The cargo cache still covers the container build.`,
    );
  } else if (inputs.sccache) {
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
  mkdirSync(inputs.outDir, { recursive: true });

  // A manylinux image's `python3` is the OS's old one, not a CPython to build for; its CPythons
  // live in /opt/python, which --find-interpreter searches (and filters by requires-python).
  const interpreters =
    image !== undefined && inputs.interpreters.kind === 'default'
      ? { kind: 'find' as const }
      : inputs.interpreters;
  if (interpreters !== inputs.interpreters) core.info("interpreters: every CPython of the image ('find')");
  const maturinArgs = maturinBuildArgs({ ...inputs, interpreters });
  const hookEnv = beforeBuildEnv({
    target: inputs.target.triple,
    outDir: inputs.outDir,
    workingDirectory: inputs.workingDirectory,
    manylinux:
      inputs.compatibility.kind === 'manylinux' || inputs.compatibility.kind === 'musllinux'
        ? inputs.compatibility.tag
        : inputs.compatibility.kind,
    interpreters: inputs.interpreters.kind === 'list' ? inputs.interpreters.items : [],
    container: image !== undefined,
  });

  if (inputs.beforeBuild && image === undefined) {
    const script = inputs.beforeBuild;
    await core.group(logText`before-build: ${relativeTo(inputs.workspace, script)}`, async () => {
      const command = beforeBuildCommand(script, inputs.platform.os);
      await deps.exec(command.program, command.args, {
        cwd: inputs.workingDirectory,
        env: { ...env, ...hookEnv },
      });
    });
  }

  const parser = messageParser({
    workspace: inputs.workspace,
    roots: [layout.root, crateDir, inputs.workingDirectory],
    exists: (f) => pathKind(f) === 'file',
  });
  const onLine = (line: string) => {
    const message = parser.push(line);
    if (message?.level === 'error') {
      core.error(message.message, {
        file: message.file,
        startLine: message.line,
        startColumn: message.column,
      });
    }
  };

  const buildStarted = Date.now();
  const result = await core.group(logText`maturin ${maturinArgs.join(' ')}`, async () => {
    if (image === undefined) {
      try {
        return await deps.exec(inputs.maturin, maturinArgs, {
          cwd: inputs.workingDirectory,
          env,
          allowFailure: true,
          onLine,
        });
      } catch (thrown) {
        if (thrown instanceof CommandError && thrown.exitCode === 127) {
          throw new UserError(
            `maturin could not be started ('${inputs.maturin}': ${thrown.output}). Install it first with ferrowheel/ferrowheel/actions/setup-maturin, or set 'maturin' to its path.`,
          );
        }
        throw thrown;
      }
    }
    const containerBuild = {
      image,
      workspace: inputs.workspace,
      workingDirectory: inputs.workingDirectory,
      cargoHome: home,
      targetDir: layout.targetDir,
      target: inputs.target,
      rustToolchain: rustcRelease(rustc) ?? 'stable',
      maturinRequirement: await maturinRequirement(deps.exec, inputs.maturin),
      maturinBinary: resolveExecutable(inputs.maturin, env),
      beforeBuild: inputs.beforeBuild,
      envNames: forwardedEnvNames(env).filter((n) => n !== 'CARGO_TARGET_DIR'),
      extraEnv: hookEnv,
      maturinArgs,
    };
    for (const dir of ['registry', 'git'])
      mkdirSync(path.join(containerBuild.cargoHome, dir), { recursive: true });
    mkdirSync(containerBuild.targetDir, { recursive: true });
    try {
      return await deps.exec('docker', dockerBuildArgs(containerBuild), { env, allowFailure: true, onLine });
    } finally {
      // maturin-action#190: without this, the runner user cannot clean or cache root-owned files.
      await deps.exec('docker', dockerChownArgs(containerBuild, deps.owner()), { env, allowFailure: true });
    }
  });
  const buildMs = Date.now() - buildStarted;
  const log = `${result.stdout}\n${result.stderr}`;

  if (result.exitCode !== 0) {
    const known = diagnose(log);
    for (const failure of known)
      core.error(describeFailure(failure), { title: `Known failure: ${failure.id}` });
    throw new UserError(
      `maturin build failed with exit code ${result.exitCode}. ${
        known.length > 0
          ? 'The cause and fix are in the error annotation(s) above.'
          : 'See the compiler errors above and the build log.'
      }`,
    );
  }

  // Failures maturin only warns about, though the wheel cannot be imported.
  const broken = diagnose(log).filter((f) => f.failsEvenWhenBuilt);
  for (const failure of broken)
    core.error(describeFailure(failure), { title: `Known failure: ${failure.id}` });
  if (broken.length > 0) {
    throw new UserError(
      'maturin built a wheel that Python cannot import; the cause and fix are in the error annotation(s) above.',
    );
  }

  const reported = reportedArtifacts(log);
  const found = reported.wheels.length > 0 ? reported : recentArtifacts(inputs.outDir, buildStarted);
  const wheels = await Promise.all(
    found.wheels.map((w) => describeWheel(path.resolve(inputs.workingDirectory, w))),
  );
  const sdist = found.sdist ? path.resolve(inputs.workingDirectory, found.sdist) : undefined;
  if (wheels.length === 0) {
    throw new UserError(
      `maturin succeeded but no wheel appeared in ${inputs.outDir}. Check 'args' for options that change the output (--out), or the build log.`,
    );
  }
  for (const wheel of wheels) core.info(logText`wheel: ${wheel.filename} (${wheel.tags.join(', ')})`);
  checkExtensionModules(wheels, project, inputs);

  setOutput('wheels', JSON.stringify(wheels));
  setOutput('sdist', sdist ?? '');
  setOutput('out-dir', inputs.outDir);
  setOutput('cache-hit', String(cacheHit === true));
  await writeSummary(
    'Wheels',
    buildSummary({
      wheels,
      sdist: sdist ? { path: sdist, size: statSync(sdist).size, sha256: await sha256File(sdist) } : undefined,
      target: inputs.target.triple,
      durationMs: Date.now() - started,
      where: image ? `in ${image}` : 'on the host',
      cacheHit,
    }),
  );
  core.debug(`maturin took ${buildMs} ms`);
  return { wheels, sdist };
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
  await saveBuildCache(deps.cacheClient ? { client: deps.cacheClient } : {});
}
