/**
 * Container builds for real, through the bundle: a docker engine (scripts/ensure-docker.sh starts
 * it), a manylinux-like image made locally from Debian's packages (harness/docker-images.ts; no
 * image registry is used), the real `docker run` argv and container script. Containers have no
 * network: crates are fetched on the host into the cargo home the build mounts, and cargo runs
 * offline inside (CARGO_NET_OFFLINE is on the forward list). Without an engine these tests fail
 * with the reason; they never skip.
 */
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type CacheServer, startCacheServer } from '@ferrowheel/harness/cache-server';
import { imageWithoutPython, manylinuxTestImage, runnerUser } from '@ferrowheel/harness/docker-images';
import { copyExample, fetchCrates } from '@ferrowheel/harness/example-wheel';
import { runAsRootSync } from '@ferrowheel/harness/privilege';
import { type ActionRun, runAction, runActionWithPost } from '@ferrowheel/harness/run-action';
import { toolsBin } from '@ferrowheel/harness/workdirs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { WheelInfo } from '../../src/artifacts.js';

let image: string;
let server: CacheServer;
const bases: string[] = [];

beforeAll(async () => {
  // Built once per run (and per machine, from the cached tarball); shared by every test here.
  image = await manylinuxTestImage();
  server = await startCacheServer();
}, 900_000);
afterAll(async () => {
  await server?.close();
  for (const base of bases) rmSync(base, { recursive: true, force: true });
});

/** A copy of examples/setup with its crates fetched on the host into a fresh cargo home. */
function project(): { dir: string; workspace: string; base: string; cargoHome: string } {
  const dir = copyExample('setup');
  // Outside the repository: a cargo home holds crate sources the repo's linters would read.
  const base = mkdtempSync(path.join(tmpdir(), 'ferrowheel-container-'));
  bases.push(base);
  const cargoHome = path.join(base, 'cargo-home');
  fetchCrates(dir, cargoHome);
  return { dir, workspace: path.dirname(dir), base, cargoHome };
}

function env(cargoHome: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: `${toolsBin}${path.delimiter}${process.env.PATH}`,
    CARGO_HOME: cargoHome,
    CARGO_NET_OFFLINE: 'true',
    CARGO_TERM_COLOR: 'never',
    ...extra,
  };
}

function wheelsOf(run: ActionRun): WheelInfo[] {
  if (run.exitCode !== 0) throw new Error(`build failed:\n${run.stdout}\n${run.stderr}`);
  return JSON.parse(run.outputs.wheels!) as WheelInfo[];
}

/** Every path under `dir` whose owner is not `uid`, relative to `dir`. */
function notOwnedBy(dir: string, uid: number): string[] {
  const found: string[] = [];
  const walk = (p: string) => {
    const stat = lstatSync(p);
    if (stat.uid !== uid) found.push(`${path.relative(dir, p) || '.'} (${stat.uid})`);
    if (stat.isDirectory()) for (const entry of readdirSync(p)) walk(path.join(p, entry));
  };
  walk(dir);
  return found;
}

function chownTree(dir: string, owner: { uid: number; gid: number }): void {
  execFileSync('chown', ['-R', `${owner.uid}:${owner.gid}`, dir]);
}

describe('build in a container (real docker engine, local image)', () => {
  it('builds as the runner user: the wheel passes its tests in its image, before-build and the forward list reach the container, a fake secret does not, and only what the container wrote is given back', async () => {
    const owner = await runnerUser();
    const { dir, workspace, base, cargoHome } = project();
    const hook = path.join(dir, 'hook.sh');
    writeFileSync(
      hook,
      [
        'out="$FERROWHEEL_OUT_DIR/hook.txt"',
        '[ -f /.dockerenv ] && echo "in-container=yes" > "$out" || echo "in-container=no" > "$out"',
        'echo "uid=$(id -u)" >> "$out"',
        'echo "probe=${PYO3_FERROWHEEL_PROBE-unset}" >> "$out"',
        'echo "offline=${CARGO_NET_OFFLINE-unset}" >> "$out"',
        'echo "secret=${FAKE_SECRET_TOKEN-unset}" >> "$out"',
        '',
      ].join('\n'),
    );
    // Files the container must not touch: one root's, one another user's.
    const rootFile = path.join(workspace, 'root-owned.txt');
    const otherFile = path.join(workspace, 'other-owned.txt');
    chownTree(workspace, owner);
    chownTree(base, owner);
    writeFileSync(rootFile, 'root\n');
    writeFileSync(otherFile, 'other\n');
    // Root's and another user's, through sudo -n when the tests do not run as root.
    runAsRootSync('chown', ['0:0', rootFile]);
    runAsRootSync('chown', ['1002:1002', otherFile]);
    const rootCtime = lstatSync(rootFile).ctimeMs;

    const run = await runAction('build', {
      workspace,
      user: owner,
      inputs: { 'working-directory': 'setup', container: image, 'before-build': 'setup/hook.sh' },
      env: env(cargoHome, {
        HOME: base,
        PYO3_FERROWHEEL_PROBE: 'forwarded',
        FAKE_SECRET_TOKEN: 'fake-secret-9f8e7d',
      }),
    });
    const [wheel] = wheelsOf(run);
    expect(run.stdout).toContain(`where: container ${image}`);
    expect(run.stdout).not.toContain('fake-secret-9f8e7d');
    expect(wheel!.filename).toMatch(/^setup-0\.1\.0-cp3\d+-cp3\d+-manylinux_2_\d+_x86_64\.whl$/);

    const hookSaw = readFileSync(path.join(dir, 'dist', 'hook.txt'), 'utf8');
    expect(hookSaw).toBe('in-container=yes\nuid=0\nprobe=forwarded\noffline=true\nsecret=unset\n');

    // Root in the container wrote the wheel, target dir and extracted crates; all are the runner's now.
    expect(notOwnedBy(workspace, owner.uid).sort()).toEqual(['other-owned.txt (1002)', 'root-owned.txt (0)']);
    expect(lstatSync(rootFile).ctimeMs).toBe(rootCtime);
    expect(notOwnedBy(cargoHome, owner.uid)).toEqual([]);
    expect(readdirSync(path.join(cargoHome, 'registry', 'src')).length).toBeGreaterThan(0);

    // The wheel passes the example's tests in the image it was built in (its CPython, whatever the
    // runner's python3 is), through the test action's container mode.
    const tests = await runAction('test', {
      workspace,
      inputs: {
        'working-directory': 'setup',
        wheels: path.relative(dir, wheel!.path),
        container: image,
        python: 'python3',
      },
      env: { PATH: `${toolsBin}${path.delimiter}${process.env.PATH}` },
    });
    expect([tests.exitCode, tests.errors]).toEqual([0, []]);
    expect(tests.stdout).toMatch(/\b1 passed\b/);
  }, 600_000);

  describe('the cargo cache covers the container (maturin-action#53)', () => {
    let fixture: ReturnType<typeof project>;
    let options: Parameters<typeof runAction>[1];

    beforeAll(() => {
      fixture = project();
      options = {
        workspace: fixture.workspace,
        inputs: { 'working-directory': 'setup', container: image },
        env: {
          ...server.env,
          ...env(fixture.cargoHome, { CARGO_TARGET_DIR: path.join(fixture.base, 'target') }),
        },
      };
    }, 300_000);

    it('saves registry and target dir; after a restore the second build compiles only the crate itself', async () => {
      const { dir, base, cargoHome } = fixture;
      const cold = await runActionWithPost('build', options);
      wheelsOf(cold.main);
      expect(cold.main.outputs['cache-hit']).toBe('false');
      expect(cold.main.stdout).toContain('Compiling pyo3 ');
      expect(cold.post.stdout).toContain(
        'Saved the cargo cache ferrowheel-cargo-v1-linux-x86_64-test-build-x86_64-unknown-linux-gnu-container-',
      );

      // A new runner: no target dir, no cargo home, no output; only the cache service has them.
      rmSync(path.join(base, 'target'), { recursive: true, force: true });
      rmSync(cargoHome, { recursive: true, force: true });
      rmSync(path.join(dir, 'dist'), { recursive: true, force: true });

      const warm = await runActionWithPost('build', options);
      expect(wheelsOf(warm.main)).toHaveLength(1);
      expect(warm.main.outputs['cache-hit']).toBe('true');
      expect(warm.main.stdout).toContain('Restored the cargo cache');
      const compiled = [...warm.main.stdout.matchAll(/^\s*Compiling (\S+) v/gm)].map((m) => m[1]);
      expect(compiled).toEqual(['setup']);
      expect(warm.main.summary).toContain(`in ${image}`);
    }, 900_000);

    it("annotates a compile error in the container at the host's file and line", async () => {
      const { dir } = fixture;
      const lib = path.join(dir, 'src', 'lib.rs');
      const lines = readFileSync(lib, 'utf8').split('\n');
      const at = lines.findIndex((l) => l.includes('true')) + 1;
      lines[at - 1] = '    "not a bool"';
      writeFileSync(lib, lines.join('\n'));
      const run = await runAction('build', options);
      expect(run.exitCode).toBe(1);
      expect(run.stdout).toMatch(
        new RegExp(`^::error file=setup/src/lib\\.rs,line=${at},col=\\d+::mismatched types`, 'm'),
      );
      expect(run.errors.at(-1)).toMatch(/^maturin build failed with exit code 1\./);
    }, 300_000);
  });
});

describe('a container build that cannot start names the real cause (through the bundle)', () => {
  const fail = async (inputs: Record<string, string>, extraEnv: Record<string, string> = {}) => {
    const dir = copyExample('setup');
    const run = await runAction('build', {
      workspace: path.dirname(dir),
      inputs: { 'working-directory': 'setup', ...inputs },
      env: { PATH: `${toolsBin}${path.delimiter}${process.env.PATH}`, ...extraEnv },
    });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    return { run, dir, message: run.errors.at(-1) ?? '' };
  };

  it('no engine answers: an image asked for is an error; auto builds on the host', async () => {
    const noEngine = { DOCKER_HOST: 'unix:///nonexistent/docker.sock' };
    const { message } = await fail({ container: image }, noEngine);
    expect(message).toContain(
      `Input 'container' asks for the image ${image}, but no docker engine answers (`,
    );
    expect(message).toContain("or build on the host with 'container: off'.");
    expect(message).not.toContain('maturin');

    // auto: on the host, said in the plan (preflight then stops it before compiling: the host
    // has no aarch64 target, which an image would have brought).
    const { run } = await fail({ target: 'aarch64-unknown-linux-gnu' }, noEngine);
    expect(run.stdout).toContain('container: auto — no docker engine answers');
    expect(run.stdout).toContain('where: host');
    expect(run.errors.at(-1)).toMatch(/^Preflight found 1 problem/);
  }, 120_000);

  it('an image that is not here and cannot be pulled: the image, its registry and how to go on', async () => {
    // .invalid never resolves (RFC 2606): nothing can be downloaded.
    const { message } = await fail({ container: 'registry.invalid/ferrowheel/none:1' });
    expect(message).toMatch(
      /^Input 'container': the image registry\.invalid\/ferrowheel\/none:1 is not on this machine and cannot be pulled from registry\.invalid \(.+\)\. Pull or load it on the runner before this step \(docker pull \/ docker load\), choose another image with 'container', or build on the host with 'container: off'\.$/,
    );
  }, 120_000);

  it('an image without any CPython', async () => {
    const { message } = await fail({ container: await imageWithoutPython() });
    expect(message).toMatch(/^The image ferrowheel-test\/no-python:\w+ has no CPython to build for/);
  }, 300_000);

  it('the container script failing before maturin starts (before-build fails)', async () => {
    const dir = copyExample('setup');
    writeFileSync(path.join(dir, 'hook.sh'), 'echo "hook: libfoo-devel is not available" >&2\nexit 7\n');
    const run = await runAction('build', {
      workspace: path.dirname(dir),
      inputs: { 'working-directory': 'setup', container: image, 'before-build': 'setup/hook.sh' },
      env: { PATH: `${toolsBin}${path.delimiter}${process.env.PATH}` },
    });
    expect(run.exitCode).toBe(1);
    expect(run.errors.at(-1)).toBe(
      `The build script in ${image} failed before maturin started (exit code 7): hook: libfoo-devel is not available. Check the 'before-build' script and the image (see the log above).`,
    );
  }, 120_000);
});
