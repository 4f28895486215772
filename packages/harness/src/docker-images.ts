/**
 * The container tests' image and the engine checks they use, on top of the images module
 * (./images: recipes as data, root filesystems from Debian's archive, built once per machine,
 * never pulled). The image is pypa-shaped where build's container script looks (CPythons under
 * /opt/python/cp3*\/bin, a C compiler, cargo), from a pinned Debian release (bookworm, never the
 * host's: GitHub's runners are Ubuntu, which no Debian mirror has), with the host's own Rust
 * toolchain (host-toolchain.ts), so the cargo cache the build saves on the host stays valid in it.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ensureImage, imageIdentity, type StandInImage } from './images/builder.js';
import { withLock } from './images/cache.js';
import { inspectImage, RECIPE_LABEL, STAND_IN_LABEL } from './images/engine.js';
import { RELEASES } from './images/pythons.js';
import type { ImageRecipe } from './images/recipe.js';

export { aptMirror } from './images/debian-mirror.js';
export { dockerEngineProblem, requireDockerEngine } from './images/engine.js';

const run = promisify(execFile);

const PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The container tests' image: bookworm amd64 with gcc, its CPython in pypa's layout, the host's Rust. */
export function manylinuxTestRecipe(): ImageRecipe {
  const links: Record<string, string> = {};
  for (const version of RELEASES.bookworm.pythons) {
    const tag = `cp${version.replace('.', '')}`;
    for (const name of ['python', 'python3', `python${version}`]) {
      links[`opt/python/${tag}-${tag}/bin/${name}`] = `/usr/bin/python${version}`;
    }
  }
  return {
    repository: 'ferrowheel-test/manylinux',
    tag: '',
    standIn: 'container-test/manylinux-bookworm',
    layers: [
      {
        kind: 'debootstrap',
        release: 'bookworm',
        debianArch: 'amd64',
        include: ['python3', 'gcc', 'libc6-dev', 'findutils'],
        foreign: false,
      },
      { kind: 'host-toolchain' },
      { kind: 'links', links },
    ],
    config: { platform: 'linux/amd64', env: [PATH], cmd: ['bash'] },
  };
}

/**
 * The manylinux-like image (`ferrowheel-test/manylinux:<key>`), built on first use. Needs a docker
 * engine, and root (or passwordless sudo) for debootstrap.
 */
export async function manylinuxTestImage(): Promise<string> {
  return (await ensureImage(manylinuxTestRecipe())).name;
}

/** The manylinux-like image with every CPython removed (an image build cannot use). */
export async function imageWithoutPython(): Promise<string> {
  const base: StandInImage = await ensureImage(manylinuxTestRecipe());
  const { key } = await imageIdentity(manylinuxTestRecipe());
  const name = base.name.replace('/manylinux:', '/no-python:');
  const recipe = `${key}-no-python`;
  if ((await inspectImage(name))?.labels[RECIPE_LABEL] === recipe) return name;
  return withLock(`no-python-${key}`, async () => {
    if ((await inspectImage(name))?.labels[RECIPE_LABEL] === recipe) return name;
    const container = `ferrowheel-no-python-${process.pid}`;
    await run('docker', [
      'run',
      '--name',
      container,
      '--pull',
      'never',
      '--network',
      'none',
      base.name,
      // argv, no shell: pypa's /opt/python tree and every python3* on PATH.
      ...['find', '/opt/python', '/usr/bin', '/usr/local/bin', '-depth'],
      ...['(', '-path', '/opt/python*', '-o', '-name', 'python3*', ')', '-delete'],
    ]);
    try {
      await run('docker', [
        'commit',
        '--change',
        `LABEL ${STAND_IN_LABEL}=container-test/no-python ${RECIPE_LABEL}=${recipe}`,
        container,
        name,
      ]);
    } finally {
      await run('docker', ['rm', '-f', container]).catch(() => undefined);
    }
    return name;
  });
}

/** The real path of `name` on PATH, or undefined. */
function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, name);
    if (existsSync(candidate)) return realpathSync(candidate);
  }
  return undefined;
}

/** The host files a PGO build needs in the image: [host path, path in the image]. */
async function pgoToolFiles(base: string, major: string): Promise<[string, string][]> {
  const profdata = onPath(`llvm-profdata-${major}`);
  if (profdata === undefined)
    throw new Error(`no llvm-profdata-${major} on PATH: run scripts/ensure-llvm.sh (as root) first`);
  const files: [string, string][] = [[profdata, `/usr/local/bin/llvm-profdata-${major}`]];
  // The shared libraries it needs that the image lacks (merged /usr: /lib is /usr/lib).
  const libDir = '/usr/lib/x86_64-linux-gnu';
  const inImage = new Set(
    (
      await run('docker', ['run', '--rm', '--pull', 'never', '--network', 'none', base, 'ls', '-1', libDir])
    ).stdout.split('\n'),
  );
  for (const [, name, file] of (await run('ldd', [profdata])).stdout.matchAll(/^\s*(\S+) => (\/\S+)/gm)) {
    if (!inImage.has(name!)) files.push([realpathSync(file!), `${libDir}/${name}`]);
  }
  // python3-venv, which minbase leaves out: ensurepip and the pip/setuptools wheels it installs.
  for (const lib of readdirSync('/usr/lib').filter((d) => /^python3\.\d+$/.test(d))) {
    const ensurepip = path.join('/usr/lib', lib, 'ensurepip');
    if (existsSync(ensurepip)) files.push([ensurepip, ensurepip]);
  }
  files.push(['/usr/share/python-wheels', '/usr/share/python-wheels']);
  return files;
}

/**
 * The manylinux-like image with what a PGO build needs inside it, copied from this host (the image
 * is the host's Debian release, so the host's libraries fit): the llvm-profdata of rustc's LLVM
 * (scripts/ensure-llvm.sh installs it here) with the shared libraries it needs, and the venv
 * module (Debian's ensurepip and its pip/setuptools wheels). Nothing is downloaded.
 */
export async function imageWithPgoTools(): Promise<string> {
  const base = await manylinuxTestImage();
  const major = /^LLVM version: (\d+)/m.exec((await run('rustc', ['-vV'])).stdout)?.[1];
  if (major === undefined) throw new Error('rustc -vV names no LLVM version');
  const name = `${base.replace('/manylinux:', '/manylinux-pgo:')}-llvm${major}`;
  if ((await inspectImage(name)) !== undefined) return name;
  return withLock(name.replace(/[/:]/g, '-'), async () => {
    if ((await inspectImage(name)) !== undefined) return name;
    const files = await pgoToolFiles(base, major);
    const container = `ferrowheel-pgo-tools-${process.pid}`;
    await run('docker', [
      'create',
      '--name',
      container,
      '--pull',
      'never',
      '--network',
      'none',
      base,
      'true',
    ]);
    try {
      for (const [from, to] of files) await run('docker', ['cp', from, `${container}:${to}`]);
      await run('docker', ['commit', container, name]);
    } finally {
      await run('docker', ['rm', '-f', container]).catch(() => undefined);
    }
    return name;
  });
}

/**
 * GitHub's runner user: uid 1001 with the docker group as its primary group (on GitHub's Linux
 * runners `id` says uid=1001(runner) gid=118(docker)). When the tests run as root it is created
 * here if missing, so a bundle run as it can use the engine and `os.userInfo()` knows it. When
 * they run as another user — as ci.yml's Tests job does, as `runner` itself — that user is it: a
 * process that is not root cannot start one as anybody else.
 */
export async function runnerUser(): Promise<{ uid: number; gid: number }> {
  const uid = process.getuid?.();
  const gid = process.getgid?.();
  if (uid !== undefined && gid !== undefined && uid !== 0) return { uid, gid };
  const group = (await run('getent', ['group', 'docker'])).stdout.split(':');
  const dockerGid = Number(group[2]);
  const existing = await run('getent', ['passwd', '1001']).catch(() => undefined);
  if (existing === undefined) {
    await run('useradd', [
      '--uid',
      '1001',
      '--gid',
      String(dockerGid),
      '--no-create-home',
      '--home-dir',
      '/nonexistent',
      'runner',
    ]);
  }
  return { uid: 1001, gid: dockerGid };
}
