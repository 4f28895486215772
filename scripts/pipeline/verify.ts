/**
 * The proof at the end of the pipeline: what was published installs into a fresh venv and
 * imports. The package comes from the local index alone (`--no-deps`, so no other index can
 * answer for it); its dependencies, when it declares any, then come from pip's usual index.
 */
import { execFile } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
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

export async function installAndImport(options: {
  project: ProjectInfo;
  python: string | undefined;
  venv: string;
  from: { index: string } | { dir: string };
  version: string | undefined;
}): Promise<VerifyResult> {
  const log: string[] = [];
  const os = currentPlatform().os;
  const env: NodeJS.ProcessEnv = { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: '1' };
  for (const key of ['PIP_INDEX_URL', 'PIP_EXTRA_INDEX_URL', 'PIP_FIND_LINKS', 'PIP_NO_INDEX'])
    delete env[key];
  // The local index is on 127.0.0.1: never through an HTTP proxy.
  env.NO_PROXY = [env.NO_PROXY ?? env.no_proxy, '127.0.0.1', 'localhost'].filter(Boolean).join(',');
  env.no_proxy = env.NO_PROXY;

  rmSync(options.venv, { recursive: true, force: true });
  const [python, ...pythonArgs] = pythonArgv(options.python);
  // uv (from the tools venv) when there, as the test action does: the same proof, in a fraction
  // of pip's time; pip otherwise.
  const uv = existsSync(tool('uv')) ? tool('uv') : undefined;
  const created = uv
    ? await run(uv, ['venv', '--quiet', '--python', options.python ?? python!, options.venv], env)
    : await run(python!, [...pythonArgs, '-m', 'venv', options.venv], env);
  if (created.code !== 0) return { ok: false, line: `creating the venv failed: ${created.out}`, log };
  const venvPy = venvPython(os, options.venv);
  const pipInstall = (args: string[]) =>
    uv
      ? run(uv, ['pip', 'install', '--quiet', '--python', venvPy, ...args], env)
      : run(venvPy, ['-m', 'pip', 'install', ...args], env);
  const requirement = options.version ? `${options.project.name}==${options.version}` : options.project.name;
  const source =
    'index' in options.from
      ? ['--index-url', options.from.index]
      : ['--no-index', '--find-links', options.from.dir];
  const where = 'index' in options.from ? options.from.index : path.basename(options.from.dir);
  const install = await pipInstall([...(uv ? [] : ['--no-cache-dir']), '--no-deps', ...source, requirement]);
  log.push(
    `${uv ? 'uv pip' : 'pip'} install ${requirement} from ${where}: ${install.code === 0 ? 'ok' : 'failed'}`,
  );
  if (install.code !== 0)
    return { ok: false, line: `could not install ${requirement} from ${where}:\n${install.out}`, log };

  const dependencies = tomlStrings(readTomlIfExists(path.join(options.project.dir, 'pyproject.toml')), [
    'project',
    'dependencies',
  ]);
  if (dependencies.length > 0) {
    const deps = await pipInstall(dependencies);
    log.push(
      `pip install its dependencies (${dependencies.join(', ')}): ${deps.code === 0 ? 'ok' : 'failed'}`,
    );
    if (deps.code !== 0) return { ok: false, line: `its dependencies did not install:\n${deps.out}`, log };
  }

  const probe = `import importlib; m = importlib.import_module(${JSON.stringify(options.project.module)}); print(getattr(m, '__file__', m))`;
  const imported = await run(venvPy, ['-c', probe], env);
  if (imported.code !== 0) {
    return {
      ok: false,
      line: `import ${options.project.module} failed in the fresh venv:\n${imported.out}`,
      log,
    };
  }
  log.push(`import ${options.project.module}: ${imported.out.split('\n').at(-1)}`);
  return {
    ok: true,
    line: `installed ${requirement} from ${where} into a fresh venv; import ${options.project.module} works`,
    log,
  };
}
