#!/usr/bin/env node
// How long actions/test spends creating the venv and installing the wheel, sample/ and pytest,
// with uv and with pip: runs the built bundle (actions/test/dist) against examples/setup's wheel
// N times per installer (after one warm-up each, so both use their caches) and prints the medians
// of the install phase (the `installDuration` the action reports) and of the whole step, and the
// ratio pip/uv; then the same for a locked environment (a copy with a `dev` group and its
// uv.lock: uv exports it, then uv or pip installs it hash-checked). Also prints the bundle's
// start-up against bare node.
// Usage: node scripts/bench/test-install.mjs [runs]   (default 5)
import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, report, timeCommand } from './stats.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const runs = Number(process.argv[2] ?? 5);
const bin = path.join(root, '.venv-tools', 'bin');
const bundle = path.join(root, 'actions', 'test', 'dist', 'index.js');
const work = path.join(root, '.work', 'bench-test-install');
mkdirSync(work, { recursive: true });

/** The example's wheel: one the tests built, else a fresh maturin build. */
function exampleWheelDir() {
  const wheels = path.join(root, '.work', 'wheels');
  const built = existsSync(wheels)
    ? readdirSync(wheels)
        .filter((d) => /^setup-[0-9a-f]+$/.test(d))
        .map((d) => path.join(wheels, d))
    : [];
  if (built.length > 0) return built[0];
  const out = path.join(work, 'wheel');
  rmSync(out, { recursive: true, force: true });
  execFileSync(path.join(bin, 'maturin'), ['build', '--release', '--out', out], {
    cwd: path.join(root, 'examples', 'setup'),
    stdio: 'inherit',
    env: {
      ...process.env,
      CARGO_TARGET_DIR: process.env.FERROWHEEL_CARGO_TARGET_DIR ?? path.join(root, '.work', 'cargo-target'),
    },
  });
  return out;
}

const wheelDir = exampleWheelDir();
const workspace = path.join(work, 'workspace');
rmSync(workspace, { recursive: true, force: true });
cpSync(path.join(root, 'examples', 'setup'), workspace, {
  recursive: true,
  filter: (s) => !s.includes(`${path.sep}target`),
});

/** PATH with only uv from the tools venv in front (python3 stays the system one). */
const uvDir = path.join(work, 'uv-bin');
mkdirSync(uvDir, { recursive: true });
if (!existsSync(path.join(uvDir, 'uv'))) cpSync(path.join(bin, 'uv'), path.join(uvDir, 'uv'));
const pathWithUv = `${uvDir}${path.delimiter}${process.env.PATH}`;

// The same project with a dev group and its uv.lock, for the locked install.
const lockedWorkspace = path.join(work, 'workspace-locked');
rmSync(lockedWorkspace, { recursive: true, force: true });
cpSync(workspace, lockedWorkspace, { recursive: true });
writeFileSync(
  path.join(lockedWorkspace, 'pyproject.toml'),
  `${readFileSync(path.join(lockedWorkspace, 'pyproject.toml'), 'utf8')}\n[dependency-groups]\ndev = ["pytest>=8"]\n`,
);
execFileSync(path.join(bin, 'uv'), ['lock', '--quiet'], { cwd: lockedWorkspace, stdio: 'inherit' });

function runOnce(installer, cwd = workspace) {
  const files = mkdtempSync(path.join(work, 'run-'));
  const file = (name) => {
    const p = path.join(files, name);
    writeFileSync(p, '');
    return p;
  };
  const env = {
    ...process.env,
    PATH: pathWithUv,
    GITHUB_WORKSPACE: cwd,
    RUNNER_TEMP: path.join(files, 'temp'),
    GITHUB_OUTPUT: file('output'),
    GITHUB_STEP_SUMMARY: file('summary'),
    INPUT_WHEELS: wheelDir,
    INPUT_INSTALLER: installer,
  };
  const start = performance.now();
  const result = spawnSync(process.execPath, [bundle], { cwd, env, encoding: 'utf8' });
  const wall = performance.now() - start;
  if (result.status !== 0)
    throw new Error(`actions/test with ${installer} failed:\n${result.stdout}${result.stderr}`);
  const output = readFileSync(path.join(files, 'output'), 'utf8');
  const results = JSON.parse(/results<<(\S+)\n([\s\S]*?)\n\1/.exec(output)[2]);
  rmSync(files, { recursive: true, force: true });
  return { install: results[0].installDuration * 1000, wall };
}

function measure(cwd) {
  const measured = {};
  for (const installer of ['uv', 'pip']) {
    runOnce(installer, cwd);
    const samples = Array.from({ length: runs }, () => runOnce(installer, cwd));
    measured[installer] = {
      install: median(samples.map((s) => s.install)),
      wall: median(samples.map((s) => s.wall)),
    };
  }
  return measured;
}
const measured = measure(workspace);
const locked = measure(lockedWorkspace);

console.log(
  `actions/test on ${path.basename(readdirSync(wheelDir).find((f) => f.endsWith('.whl')))}, median of ${runs} runs (warm caches)`,
);
console.log('install phase (venv + wheel + sample/ + pytest):');
report([
  ['uv', measured.uv.install],
  ['pip', measured.pip.install],
]);
console.log('whole step (interpreter, install, import check, pytest):');
report([
  ['uv', measured.uv.wall],
  ['pip', measured.pip.wall],
]);
console.log(`pip/uv install ratio: ${(measured.pip.install / measured.uv.install).toFixed(1)}x`);
console.log(
  'locked install (venv + one --require-hashes call + sample/; the uv export before it is not counted):',
);
report([
  ['uv', locked.uv.install],
  ['pip', locked.pip.install],
]);
console.log(`pip/uv locked install ratio: ${(locked.pip.install / locked.uv.install).toFixed(1)}x`);

console.log('start-up (bundle loaded, fails on a bad input at once):');
const badInput = { ...process.env, GITHUB_WORKSPACE: workspace, INPUT_INSTALLER: 'conda' };
const bare = timeCommand([process.execPath, '-e', '0'], { runs: 15 });
const startup = (() => {
  const once = () => {
    const start = performance.now();
    spawnSync(process.execPath, [bundle], { env: badInput, stdio: 'ignore' });
    return performance.now() - start;
  };
  once();
  return median(Array.from({ length: 15 }, once));
})();
report([
  ['node -e 0', bare],
  ['actions/test/dist/index.js', startup],
]);
