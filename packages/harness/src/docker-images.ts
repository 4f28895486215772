/**
 * Local docker images for the container tests, made without an image registry (none is reachable
 * here, and no test may pull from one): `debootstrap --variant=minbase` of the host's Debian
 * release from the mirror apt is configured with, shaped like pypa's manylinux images where
 * build's container script looks (CPythons under /opt/python/cp3*\/bin, a C compiler, cargo),
 * then `docker import`.
 *
 * - The host's Debian release, not the newest: the image's glibc and CPython are the host's, so a
 *   wheel built in the container installs and runs on the host, as the tests require.
 * - cargo and rustc are the host's installed toolchain copied in (rustup cannot download here, and
 *   the release's own cargo is older than the lockfiles of the examples need).
 * - The root filesystem tarball is kept in `.work/images/`, keyed by everything that goes into it
 *   (release, mirror, package list, toolchain), so a machine builds it once; the image is imported
 *   once per engine. Jest's workers share it through a lock directory.
 */
import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { sha256 } from '@ferrowheel/kit/files';
import { sharedDir } from './workdirs.js';

const run = promisify(execFile);
const BIG = { maxBuffer: 64 * 1024 * 1024 };

/** Bumped when the image's recipe changes in a way the key does not see. */
const RECIPE = 1;
const PACKAGES = ['python3', 'gcc', 'libc6-dev', 'findutils'];

/** Why no engine answers, or undefined when one does. */
export async function dockerEngineProblem(): Promise<string | undefined> {
  try {
    await run('docker', ['info', '--format', '{{.ServerVersion}}']);
    return undefined;
  } catch (thrown) {
    const error = thrown as { stderr?: string; message: string };
    const reason = (error.stderr || error.message).trim().split('\n').slice(-1)[0];
    return `no docker engine answers (${reason}). Start one with 'bash scripts/ensure-docker.sh' (as root; scripts/test.sh does this), then run the tests again.`;
  }
}

/** Throws the reason when no docker engine answers: container tests fail, never skip. */
export async function requireDockerEngine(): Promise<void> {
  const problem = await dockerEngineProblem();
  if (problem) throw new Error(problem);
}

async function imageExists(name: string): Promise<boolean> {
  try {
    await run('docker', ['image', 'inspect', '--format', '{{.Id}}', name]);
    return true;
  } catch {
    return false;
  }
}

/** The first Debian mirror apt is configured with (deb822 or one-line format). */
export function aptMirror(): string {
  const candidates: string[] = [];
  const dir = '/etc/apt/sources.list.d';
  if (existsSync(dir)) {
    for (const f of readdirSync(dir)
      .filter((f) => f.endsWith('.sources'))
      .sort()) {
      const text = readFileSync(path.join(dir, f), 'utf8');
      for (const m of text.matchAll(/^URIs:\s*(\S+)/gm)) candidates.push(m[1]!);
    }
  }
  if (existsSync('/etc/apt/sources.list')) {
    const text = readFileSync('/etc/apt/sources.list', 'utf8');
    for (const m of text.matchAll(/^deb\s+(?:\[[^\]]*\]\s+)?(\S+)/gm)) candidates.push(m[1]!);
  }
  return candidates.find((u) => /\/debian\/?$/.test(u)) ?? 'http://deb.debian.org/debian';
}

/** The host's Debian codename (so the image's glibc and CPython match the host's). */
export function hostRelease(): string {
  const text = existsSync('/etc/os-release') ? readFileSync('/etc/os-release', 'utf8') : '';
  return /^VERSION_CODENAME=(\w+)/m.exec(text)?.[1] ?? 'trixie';
}

async function withLock<T>(name: string, body: () => Promise<T>): Promise<T> {
  const lock = path.join(sharedDir('images'), `${name}.lock`);
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(path.join(lock, 'pid'), String(process.pid));
      break;
    } catch {
      // Another worker builds it; a lock whose process died is stale.
      let pid = 0;
      try {
        pid = Number(readFileSync(path.join(lock, 'pid'), 'utf8'));
        if (pid) process.kill(pid, 0);
      } catch {
        if (pid) rmSync(lock, { recursive: true, force: true });
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  try {
    return await body();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** The host toolchain's sysroot and `rustc -vV`. */
async function hostToolchain(): Promise<{ sysroot: string; verbose: string; host: string }> {
  const sysroot = (await run('rustc', ['--print', 'sysroot'])).stdout.trim();
  const verbose = (await run('rustc', ['-vV'])).stdout.trim();
  const host = /^host: (\S+)/m.exec(verbose)?.[1] ?? 'x86_64-unknown-linux-gnu';
  return { sysroot, verbose, host };
}

/** Copies the parts of the toolchain a build uses (no docs, no sources) to `<root>/usr/local/rust`. */
function copyToolchain(root: string, toolchain: { sysroot: string; host: string }): void {
  const dest = path.join(root, 'usr/local/rust');
  for (const bin of ['cargo', 'rustc']) {
    cpSync(path.join(toolchain.sysroot, 'bin', bin), path.join(dest, 'bin', bin));
  }
  const lib = path.join(toolchain.sysroot, 'lib');
  for (const f of readdirSync(lib).filter((f) => f.endsWith('.so') || f.includes('.so.'))) {
    cpSync(path.join(lib, f), path.join(dest, 'lib', f), { verbatimSymlinks: true });
  }
  cpSync(path.join(lib, 'rustlib', toolchain.host), path.join(dest, 'lib/rustlib', toolchain.host), {
    recursive: true,
    verbatimSymlinks: true,
  });
  // rustc finds its sysroot from its own real path, so symlinks on PATH are enough.
  for (const bin of ['cargo', 'rustc'])
    symlinkSync(`/usr/local/rust/bin/${bin}`, path.join(root, 'usr/local/bin', bin));
}

/** pypa's layout: /opt/python/<tag>/bin with python, python3, python3.X. */
async function addOptPython(root: string): Promise<void> {
  const pythons = readdirSync(path.join(root, 'usr/bin')).filter((f) => /^python3\.\d+$/.test(f));
  for (const python of pythons) {
    const tag = `cp${python.slice('python'.length).replace('.', '')}`;
    const bin = path.join(root, 'opt/python', `${tag}-${tag}`, 'bin');
    mkdirSync(bin, { recursive: true });
    for (const name of ['python', 'python3', python]) symlinkSync(`/usr/bin/${python}`, path.join(bin, name));
  }
  if (pythons.length === 0) throw new Error(`debootstrap installed no python3.X into ${root}`);
}

async function buildRootTarball(tarball: string, recipe: { release: string; mirror: string }): Promise<void> {
  const toolchain = await hostToolchain();
  const root = `${tarball}.root`;
  rmSync(root, { recursive: true, force: true });
  const log = `${tarball}.debootstrap.log`;
  try {
    await run(
      'debootstrap',
      ['--variant=minbase', `--include=${PACKAGES.join(',')}`, recipe.release, root, recipe.mirror],
      BIG,
    ).catch((thrown: { stdout?: string; stderr?: string; message: string }) => {
      writeFileSync(log, `${thrown.stdout ?? ''}\n${thrown.stderr ?? ''}`);
      throw new Error(
        `debootstrap ${recipe.release} from ${recipe.mirror} failed (log: ${log}): ${thrown.message.split('\n')[0]}. It needs root and the Debian mirror; scripts/ensure-docker.sh installs debootstrap.`,
      );
    });
    // Package lists and caches are not part of an image anyone builds from.
    rmSync(path.join(root, 'var/cache/apt/archives'), { recursive: true, force: true });
    copyToolchain(root, toolchain);
    await addOptPython(root);
    await run('tar', ['-C', root, '-cf', `${tarball}.partial`, '.'], BIG);
    renameSync(`${tarball}.partial`, tarball);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Everything that goes into the image, as its key. */
async function imageKey(): Promise<{ key: string; release: string; mirror: string }> {
  const release = hostRelease();
  const mirror = aptMirror();
  const { verbose } = await hostToolchain();
  const key = sha256(
    JSON.stringify({ RECIPE, release, mirror, PACKAGES, verbose, arch: process.arch }),
  ).slice(0, 12);
  return { key, release, mirror };
}

/**
 * A manylinux-like image (`ferrowheel-test/manylinux:<key>`), imported from the cached root
 * tarball; built on first use. Needs a docker engine, and root for debootstrap.
 */
export async function manylinuxTestImage(): Promise<string> {
  await requireDockerEngine();
  const { key, release, mirror } = await imageKey();
  const name = `ferrowheel-test/manylinux:${key}`;
  if (await imageExists(name)) return name;
  return withLock(`manylinux-${key}`, async () => {
    if (await imageExists(name)) return name;
    const tarball = path.join(sharedDir('images'), `manylinux-${release}-${key}.tar`);
    if (!existsSync(tarball)) await buildRootTarball(tarball, { release, mirror });
    await run(
      'docker',
      ['import', '--message', `ferrowheel test image (${release}, ${mirror})`, tarball, name],
      BIG,
    );
    return name;
  });
}

/** The manylinux-like image with every CPython removed (an image build cannot use). */
export async function imageWithoutPython(): Promise<string> {
  const base = await manylinuxTestImage();
  const name = base.replace('/manylinux:', '/no-python:');
  if (await imageExists(name)) return name;
  return withLock(name.replace(/[/:]/g, '-'), async () => {
    if (await imageExists(name)) return name;
    const container = `ferrowheel-no-python-${process.pid}`;
    await run('docker', [
      'run',
      '--name',
      container,
      '--network',
      'none',
      base,
      'sh',
      '-c',
      'rm -rf /opt/python /usr/bin/python3* /usr/local/bin/python3*',
    ]);
    try {
      await run('docker', ['commit', container, name]);
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
    (await run('docker', ['run', '--rm', '--network', 'none', base, 'ls', '-1', libDir])).stdout.split('\n'),
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
  const major = /^LLVM version: (\d+)/m.exec((await hostToolchain()).verbose)?.[1];
  if (major === undefined) throw new Error('rustc -vV names no LLVM version');
  const name = `${base.replace('/manylinux:', '/manylinux-pgo:')}-llvm${major}`;
  if (await imageExists(name)) return name;
  return withLock(name.replace(/[/:]/g, '-'), async () => {
    if (await imageExists(name)) return name;
    const files = await pgoToolFiles(base, major);
    const container = `ferrowheel-pgo-tools-${process.pid}`;
    await run('docker', ['create', '--name', container, '--network', 'none', base, 'true']);
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
