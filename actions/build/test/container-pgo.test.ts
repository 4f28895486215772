/**
 * PGO in a container, with a recorded docker (no engine is needed): every phase runs in the
 * image — rustc's LLVM and the llvm-profdata are asked there, the builds get the PGO flags by
 * name, the venv, the training and the merge run through container-run.sh as the runner's user
 * with PGO's directory mounted, and the files root wrote there are given back.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeZip } from '@ferrowheel/harness/zip-fixture';
import { runnerContext } from '@ferrowheel/kit/context';
import type { Exec, ExecOptions } from '@ferrowheel/kit/exec';
import { mapInputSource } from '@ferrowheel/kit/inputs';
import { describe, expect, it } from '@jest/globals';
import { CONTAINER_BUILD_SCRIPT_AT, CONTAINER_RUN_SCRIPT_AT } from '../src/container.js';
import { CONTAINER_STATUS_DIR_AT } from '../src/container-status.js';
import { readInputs } from '../src/inputs.js';
import { type Deps, run } from '../src/run.js';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const IMAGE = 'ferrowheel-test/manylinux:pgo';
const IMAGE_RUSTC =
  'rustc 1.97.1\nbinary: rustc\nhost: x86_64-unknown-linux-gnu\nrelease: 1.97.1\nLLVM version: 21.1.4\n';

interface Call {
  program: string;
  args: readonly string[];
  options: ExecOptions | undefined;
}

/** The value after `--env NAME=` in a docker argv. */
const envValue = (args: readonly string[], name: string) =>
  args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);

function setup(interpreters = '3.13') {
  const workspace = mkdtempSync(path.join(tmpdir(), 'container-pgo-'));
  cpSync(path.join(repoRoot, 'examples', 'pgo'), path.join(workspace, 'pgo'), { recursive: true });
  const calls: Call[] = [];
  const wheel = 'jsonscan-0.1.0-cp313-cp313-manylinux_2_28_x86_64.whl';
  const exec: Exec = async (program, args, options) => {
    calls.push({ program, args, options });
    const ok = (stdout: string) => ({ exitCode: 0, stdout, stderr: '' });
    if (program === 'rustc')
      return ok('rustc 1.95.0\nhost: x86_64-unknown-linux-gnu\nrelease: 1.95.0\nLLVM version: 22.1.2\n');
    if (program === 'maturin') return ok('maturin 1.16.0');
    if (program === 'cargo') return { exitCode: 101, stdout: '', stderr: 'no cargo here' };
    if (program === 'git') return ok('1700000000\n');
    if (program !== 'docker') throw new Error(`unexpected ${program} ${args.join(' ')}`);
    if (args[0] === 'version') return ok('27.3.1');
    if (args[0] === 'image') return ok('sha256:1');
    // docker creates a missing mount source as root, where the runner could not write.
    const sources = args.flatMap((a, i) => (args[i - 1] === '--volume' ? [a.split(':')[0]!] : []));
    const missing = sources.filter((dir) => !existsSync(dir));
    if (missing.length > 0)
      throw new Error(`docker run before its mount sources exist: ${missing.join(', ')}`);
    const inImage = args.slice(args.indexOf(IMAGE) + 1);
    if (inImage[1] === CONTAINER_RUN_SCRIPT_AT) {
      const command = inImage.slice(2);
      if (command[0] === 'rustc') return ok(command[1] === '-vV' ? IMAGE_RUSTC : '/usr\n');
      if (command[0] === 'llvm-profdata-21') return ok('Debian LLVM version 21.1.4\n  Optimized build.');
      if (command[0]?.endsWith('llvm-profdata')) return { exitCode: 127, stdout: '', stderr: 'not found' };
      const profile = envValue(args, 'LLVM_PROFILE_FILE');
      if (command[0] === 'sh' && profile) writeFileSync(profile.replace('%m_%p', 'training'), 'raw');
      return ok('');
    }
    if (inImage[1] === CONTAINER_BUILD_SCRIPT_AT) {
      const out = inImage[inImage.indexOf('--out') + 1]!;
      mkdirSync(out, { recursive: true });
      writeZip(path.join(out, wheel), ['jsonscan/jsonscan.cpython-313-x86_64-linux-gnu.so']);
      // The build script reached maturin and ran its one call (the status file, mounted from
      // the host; the call's marker and output on the log), as container-build.sh writes them.
      const status = args.find((a) => a.endsWith(`:${CONTAINER_STATUS_DIR_AT}`))!.split(':')[0]!;
      writeFileSync(
        path.join(status, 'phases'),
        'started\nmaturin\nmaturin-call 1\nmaturin-call 1 exited 0\n',
      );
      const built = `📦 Built wheel for CPython 3.13 to ${path.join(out, wheel)}`;
      options?.onLine?.('ferrowheel-container: maturin call 1 starts', 'stderr');
      options?.onLine?.(built, 'stderr');
      return { exitCode: 0, stdout: '', stderr: built };
    }
    return ok(''); // the chown run
  };
  const deps: Deps = { exec, owner: () => ({ uid: 1001, gid: 118 }) };
  // Outside the workspace, as on GitHub (/home/runner/work/_temp): mounted on its own.
  const runnerTemp = mkdtempSync(path.join(tmpdir(), 'container-pgo-temp-'));
  const inputs = readInputs(
    mapInputSource({
      'working-directory': 'pgo',
      container: IMAGE,
      interpreters,
      pgo: 'true',
      cache: 'false',
      // The recorded builds write a stand-in wheel; the audit is tested on real ones.
      audit: 'off',
    }),
    runnerContext({
      workspace,
      runnerTemp,
      platform: { os: 'linux', arch: 'x86_64' },
      env: { PATH: '/usr/bin', HOME: workspace },
    }),
  );
  return { calls, deps, inputs, runnerTemp };
}

describe('PGO in a container', () => {
  it('runs every phase in the image, with the LLVM of the image’s own rustc', async () => {
    const { calls, deps, inputs, runnerTemp } = setup();
    const result = await run(inputs, deps);
    expect(result.wheels.map((w) => w.filename)).toEqual([
      'jsonscan-0.1.0-cp313-cp313-manylinux_2_28_x86_64.whl',
    ]);
    const pgo = path.join(runnerTemp, 'ferrowheel-pgo');
    const dir = path.join(pgo, 'x86_64-unknown-linux-gnu');
    const runs = calls.filter((c) => c.program === 'docker' && c.args[0] === 'run');
    const what = runs.map((c) => {
      const inImage = c.args.slice(c.args.indexOf(IMAGE) + 1);
      if (inImage[1] === CONTAINER_BUILD_SCRIPT_AT) {
        const flags = c.options?.env?.CARGO_ENCODED_RUSTFLAGS?.split('\x1f') ?? [];
        const pgoFlag = flags.find((f) => f.startsWith('-Cprofile')) ?? 'no PGO flag';
        return `build ${pgoFlag.replace(dir, '<pgo>')}`;
      }
      if (inImage[1] === CONTAINER_RUN_SCRIPT_AT)
        return `run ${inImage.slice(2, 4).join(' ').replaceAll(dir, '<pgo>')}`;
      return 'chown';
    });
    expect(what).toEqual([
      'run rustc -vV',
      'run rustc --print',
      'run /usr/lib/rustlib/x86_64-unknown-linux-gnu/bin/llvm-profdata merge',
      'run llvm-profdata-21 merge',
      'build -Cprofile-generate=<pgo>/profiles',
      'chown',
      'run python3.13 -m',
      'run <pgo>/training-venv/bin/python -m',
      'run sh -c',
      'run llvm-profdata-21 merge',
      `build -Cprofile-use=<pgo>/merged.profdata`,
      'chown',
    ]);
    // The commands other than maturin run as the runner's user, PGO's directory mounted.
    const training = runs.find((c) => c.args.includes('sh'))!;
    expect(training.args).toEqual(
      expect.arrayContaining(['--user', '1001:118', '--volume', `${pgo}:${pgo}`]),
    );
    expect(envValue(training.args, 'VIRTUAL_ENV')).toBe(path.join(dir, 'training-venv'));
    // The chown after each build covers PGO's directory too.
    expect(
      runs.filter((c) => c.args.includes('/opt/ferrowheel/chown.sh')).every((c) => c.args.at(-1) === pgo),
    ).toBe(true);
  });

  it('trains with an interpreter the PyO3 check keeps, not a first one it leaves out', async () => {
    // examples/pgo's PyO3 (0.30) no longer builds 3.13t: preflight leaves it out of the calls.
    const { calls, deps, inputs } = setup('3.13t 3.13');
    // The step fails at the end, the 3.13t wheel missing; 3.13 built with PGO.
    await expect(run(inputs, deps)).rejects.toThrow(/CPython 3\.13t: .*PyO3/);
    const inImage = calls
      .filter((c) => c.program === 'docker' && c.args[0] === 'run')
      .map((c) => c.args.slice(c.args.indexOf(IMAGE) + 1));
    const venv = inImage.find((a) => a[1] === CONTAINER_RUN_SCRIPT_AT && a[3] === '-m' && a[4] === 'venv');
    expect(venv?.[2]).toBe('python3.13');
    const builds = inImage.filter((a) => a[1] === CONTAINER_BUILD_SCRIPT_AT);
    const interpreterOf = (a: readonly string[]) => a[a.indexOf('--interpreter') + 1];
    expect(builds.map(interpreterOf)).toEqual(['python3.13', 'python3.13']);
  });
});
