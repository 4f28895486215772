/**
 * The proof at the end of the pipeline: what was published installs into a fresh venv and
 * imports. The package comes from the local index alone (`--no-deps`, so no other index can
 * answer for it); its dependencies, when it declares any, then come from pip's usual index.
 */
import { execFile } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tool } from '../../packages/harness/src/workdirs.js';
import { currentPlatform, defaultPythonCommand, venvPython } from '../../packages/kit/src/platform.js';
import { readTomlIfExists, tomlStrings } from '../../packages/kit/src/project.js';
import type { ProjectInfo } from './project.js';

export interface VerifyResult {
  ok: boolean;
  /** One line for the closing summary. */
  line: string;
  log: string[];
}

function run(
  program: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      program,
      args,
      { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, out: `${stdout}${stderr}`.trim() });
      },
    );
  });
}

/** argv of the interpreter for a version (`python3.12`, `py -3.12` on Windows), or the default one. */
export function pythonArgv(version: string | undefined): string[] {
  const os = currentPlatform().os;
  if (!version) return [defaultPythonCommand(os)];
  return os === 'windows' ? ['py', `-${version}`] : [`python${version}`];
}

/** The script that imports the module (a real file beside this one; the name goes in argv). */
export const IMPORT_MODULE_SCRIPT = fileURLToPath(new URL('./import-module.py', import.meta.url));

/** pip's (and uv's) environment: no index but the one given, no proxy for 127.0.0.1. */
function installerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: '1' };
  for (const key of ['PIP_INDEX_URL', 'PIP_EXTRA_INDEX_URL', 'PIP_FIND_LINKS', 'PIP_NO_INDEX'])
    delete env[key];
  // The local index is on 127.0.0.1: never through an HTTP proxy.
  env.NO_PROXY = [env.NO_PROXY ?? env.no_proxy, '127.0.0.1', 'localhost'].filter(Boolean).join(',');
  env.no_proxy = env.NO_PROXY;
  return env;
}

/** A fresh venv and how to install into it: uv (from the tools venv) when there, else pip. */
interface Venv {
  python: string;
  uv: string | undefined;
  env: NodeJS.ProcessEnv;
}

/**
 * Creates the venv: uv (from the tools venv) when there, as the test action does, the same
 * proof in a fraction of pip's time; pip's venv otherwise. A string is why it could not.
 */
async function createVenv(dir: string, version: string | undefined): Promise<Venv | string> {
  const env = installerEnv();
  rmSync(dir, { recursive: true, force: true });
  const [python, ...pythonArgs] = pythonArgv(version);
  const uv = existsSync(tool('uv')) ? tool('uv') : undefined;
  const created = uv
    ? await run(uv, ['venv', '--quiet', '--python', version ?? python!, dir], env)
    : await run(python!, [...pythonArgs, '-m', 'venv', dir], env);
  if (created.code !== 0) return `creating the venv failed: ${created.out}`;
  return { python: venvPython(currentPlatform().os, dir), uv, env };
}

function pipInstall(venv: Venv, args: string[]): Promise<{ code: number; out: string }> {
  return venv.uv
    ? run(venv.uv, ['pip', 'install', '--quiet', '--python', venv.python, ...args], venv.env)
    : run(venv.python, ['-m', 'pip', 'install', ...args], venv.env);
}

/** The project's `[project] dependencies`, installed from pip's usual index; a string if they fail. */
async function installDependencies(
  venv: Venv,
  project: ProjectInfo,
  log: string[],
): Promise<string | undefined> {
  const dependencies = tomlStrings(readTomlIfExists(path.join(project.dir, 'pyproject.toml')), [
    'project',
    'dependencies',
  ]);
  if (dependencies.length === 0) return undefined;
  const deps = await pipInstall(venv, dependencies);
  log.push(`pip install its dependencies (${dependencies.join(', ')}): ${deps.code === 0 ? 'ok' : 'failed'}`);
  return deps.code === 0 ? undefined : `its dependencies did not install:\n${deps.out}`;
}

export async function installAndImport(options: {
  project: ProjectInfo;
  python: string | undefined;
  venv: string;
  from: { index: string } | { dir: string };
  version: string | undefined;
}): Promise<VerifyResult> {
  const log: string[] = [];
  const { project } = options;
  const venv = await createVenv(options.venv, options.python);
  if (typeof venv === 'string') return { ok: false, line: venv, log };
  const requirement = options.version ? `${project.name}==${options.version}` : project.name;
  const source =
    'index' in options.from
      ? ['--index-url', options.from.index]
      : ['--no-index', '--find-links', options.from.dir];
  const where = 'index' in options.from ? options.from.index : path.basename(options.from.dir);
  const install = await pipInstall(venv, [
    ...(venv.uv ? [] : ['--no-cache-dir']),
    '--no-deps',
    ...source,
    requirement,
  ]);
  log.push(
    `${venv.uv ? 'uv pip' : 'pip'} install ${requirement} from ${where}: ${install.code === 0 ? 'ok' : 'failed'}`,
  );
  if (install.code !== 0)
    return { ok: false, line: `could not install ${requirement} from ${where}:\n${install.out}`, log };
  const depsProblem = await installDependencies(venv, project, log);
  if (depsProblem !== undefined) return { ok: false, line: depsProblem, log };
  const imported = await run(venv.python, [IMPORT_MODULE_SCRIPT, project.module], venv.env);
  if (imported.code !== 0) {
    return { ok: false, line: `import ${project.module} failed in the fresh venv:\n${imported.out}`, log };
  }
  log.push(`import ${project.module}: ${imported.out.split('\n').at(-1)}`);
  return {
    ok: true,
    line: `installed ${requirement} from ${where} into a fresh venv; import ${project.module} works`,
    log,
  };
}
