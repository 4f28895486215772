/**
 * The workflows, run for real on this machine by nektos/act 0.2.89 (host mode, one job at a time):
 * - this repository's CI job that calls build-wheels.yml on examples/setup, and a broken copy of
 *   it (a failing assertion);
 * - the release example users copy, end to end, against a real pypiserver and the harness's
 *   stand-in for GitHub's OIDC and releases APIs, twice.
 *
 * What this host can serve: Linux x86_64 with the CPythons it has (`python3` is 3.11 on this
 * Debian, 3.12 on GitHub's ubuntu-latest, where ci.yml's Tests job runs these; the others under
 * pyenv's versions or as python3.X on PATH — the run's PATH gets their directories last, so the
 * stand-in setup-python finds `python3.13` while `python3` stays the same; uv cannot download others), no image registry (so the build action's `container: auto` finds no docker
 * engine — DOCKER_HOST points nowhere — and builds on the host, as on a runner without docker).
 * act 0.2.89 resolves `runs-on: ${{ matrix.runner }}` once for every leg, so the CI run selects
 * this host's legs with `--matrix platform:linux-x86_64`; the other legs are not run here, and the
 * summary lists them as such. act prints "Job failed" for every leg of a matrix once one fails:
 * each leg's result is read from its own steps (`--json`).
 * The cargo target dir is the one the examples' other builds share, so pyo3 compiles once.
 */

import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sha256 } from '@ferrowheel/kit/files';
import { afterAll, describe, expect, it } from '@jest/globals';
import {
  type ActRun,
  artifactFiles,
  commitDirectory,
  copyRepository,
  freePort,
  jobOutput,
  rewriteSelfReferences,
  runAct,
  SELF,
  standInArgs,
  stepResults,
} from '../../src/act.js';
import { startGithubServer } from '../../src/github-server.js';
import { hostPython, hostPythonOf } from '../../src/host-python.js';
import { startPypiServer } from '../../src/pypi-server.js';
import { cargoTargetDir, freshDir, repoRoot, sharedDir, tool } from '../../src/workdirs.js';

const seconds: Record<string, number> = {};
/** The one CPython every job here can find (the stand-in setup-python looks for `python<version>`). */
const { version: py, tag: cp } = hostPython();
afterAll(() => {
  // How long each act run took (the README's test-time budget counts them).
  console.log(`act runs: ${JSON.stringify(seconds)}`);
});

/** Arguments every run shares: this host's environment for the jobs. */
async function hostArgs(artifacts: string): Promise<string[]> {
  return [
    '--artifact-server-path',
    artifacts,
    '--artifact-server-port',
    String(await freePort()),
    '--env',
    `CARGO_TARGET_DIR=${cargoTargetDir('examples')}`,
    '--env',
    `RUNNER_TOOL_CACHE=${sharedDir('tool-cache')}`,
    // No manylinux image can be pulled here: with no docker engine answering, the build action
    // builds on the host.
    '--env',
    'DOCKER_HOST=unix:///nonexistent/docker.sock',
  ];
}

it('rewrites $/ only on uses: lines, to the copy itself at a commit', () => {
  const text =
    '# reach them through `uses: $/actions/<name>`\n      - uses: $/actions/build\n    uses: $/.github/workflows/b.yml\n';
  expect(rewriteSelfReferences(text, SELF, 'abc123')).toBe(
    '# reach them through `uses: $/actions/<name>`\n      - uses: ferrowheel/ferrowheel/actions/build@abc123\n    uses: ferrowheel/ferrowheel/.github/workflows/b.yml@abc123\n',
  );
});

describe("ci.yml's reusable-workflow job on examples/setup, under act", () => {
  async function runCi(
    name: string,
    options: { pythons: readonly string[]; mutate?: (dir: string) => void },
  ): Promise<{ run: ActRun; artifacts: string }> {
    const { pythons, mutate } = options;
    const copy = copyRepository(freshDir(`act-${name}`), mutate ? { mutate } : {});
    const artifacts = freshDir(`act-${name}-artifacts`);
    const run = await runAct(
      name,
      copy.dir,
      [
        'push',
        '-W',
        '.github/workflows/ci.yml',
        '-j',
        'reusable',
        '--local-repository',
        `${SELF}@${copy.sha}=${copy.dir}`,
        ...standInArgs(freshDir('act-stand-ins')),
        '--matrix',
        'platform:linux-x86_64',
        // ci.yml takes the versions from this variable; empty on GitHub (every admitted CPython).
        '--var',
        `FERROWHEEL_CI_PYTHON_VERSIONS=${pythons.join(' ')}`,
        ...(await hostArgs(artifacts)),
      ],
      {
        ...process.env,
        PATH: [process.env.PATH, ...pythons.map((v) => hostPythonOf(v).binDir)].join(path.delimiter),
      },
    );
    seconds[name] = Math.round(run.seconds);
    return { run, artifacts };
  }
  const leg = { platform: 'linux-x86_64' };

  it('builds the Linux x86_64 wheels for two CPythons and tests each on its own; the summary lists them with their SHA256 and the legs not run here', async () => {
    // python3's version and 3.13, kept distinct (on a host whose python3 is 3.13, one).
    const pythons = [...new Set([py, '3.13'])];
    const { run, artifacts } = await runCi('ci', { pythons });
    const build = stepResults(run, 'Build linux-x86_64', leg);
    expect(build).toMatchObject({
      'Build wheels': 'success',
      'Upload wheels': 'success',
      'Upload the record': 'success',
    });
    const files = artifactFiles(artifacts).get('example-setup-linux-x86_64') ?? [];
    const summary = jobOutput(run, 'Summary');
    for (const python of pythons) {
      const testLeg = { platform: 'linux-x86_64', python };
      expect([python, stepResults(run, `Test linux-x86_64 · Python ${python}`, testLeg)]).toMatchObject([
        python,
        { 'Download the wheels': 'success', 'Test the wheel': 'success', 'Upload the record': 'success' },
      ]);
      // The leg tested its own interpreter's wheel: the test action names the wheel it installed.
      const tag = `cp${python.replace('.', '')}`;
      const wheel = files.find(
        ([n]) => n.startsWith(`setup-0.1.0-${tag}-${tag}-`) && n.endsWith('x86_64.whl'),
      );
      expect([python, wheel?.[0]]).toEqual([python, expect.any(String)]);
      expect(jobOutput(run, `Test linux-x86_64 · Python ${python}`, testLeg)).toContain(wheel![0]);
      expect(summary).toContain(
        `| linux-x86_64 | x86_64-unknown-linux-gnu | ${python} | built | tested (native) | ${wheel![0]} | `,
      );
      expect(summary).toContain(
        `\`${sha256(wheel![1])}\` | [Test linux-x86_64 · Python ${python}](https://github.com/ferrowheel/ferrowheel/actions/runs/1) |`,
      );
      // Every other platform is planned and listed, not run on this host.
      expect(summary).toContain(
        `| macos-arm64 | aarch64-apple-darwin | ${python} | not run | not tested: the build did not run |`,
      );
      expect(summary).toContain(`| musllinux-armv7 | armv7-unknown-linux-musleabihf | ${python} | not run |`);
    }
    const sdist = files.find(([n]) => n.endsWith('.tar.gz'));
    expect(summary).toContain(
      `| sdist |  |  | built | not tested: an sdist is built into wheels, which are tested | ${sdist![0]} |`,
    );
    expect(summary).toContain(`\`${sha256(sdist![1])}\``);
    // On GitHub a leg that never ran fails the run, so the summary fails here too.
    expect(stepResults(run, 'Summary')).toMatchObject({ 'One table for the whole matrix': 'failure' });
    expect(summary).toContain('Build macos-arm64: did not run');
    expect(summary).not.toContain('Build linux-x86_64: ');
  }, 900_000);

  it('a broken copy (a failing assertion) fails its test leg at the file and line; the build leg and the summary still run', async () => {
    const broken = 'examples/setup/sample/tests/test_sample.py';
    const { run } = await runCi('ci-broken', {
      pythons: [py],
      mutate: (dir) => {
        const file = path.join(dir, broken);
        writeFileSync(
          file,
          `${readFileSync(file, 'utf8')}\n\ndef test_broken():\n    assert it_works() is False\n`,
        );
      },
    });
    const line = readFileSync(path.join(repoRoot, broken), 'utf8').split('\n').length + 3;
    const testLeg = { platform: 'linux-x86_64', python: py };
    expect(stepResults(run, 'Build linux-x86_64', leg)).toMatchObject({
      'Build wheels': 'success',
      'Upload wheels': 'success',
    });
    const test = stepResults(run, `Test linux-x86_64 · Python ${py}`, testLeg);
    expect(test).toMatchObject({
      'Test the wheel': 'failure',
      'Record the outcome for the summary': 'success',
      'Upload the record': 'success',
    });
    expect(jobOutput(run, `Test linux-x86_64 · Python ${py}`, testLeg)).toMatch(
      new RegExp(`::error [^\n]*file=${broken.replace(/\./g, '\\.')},line=${line}[,:]`),
    );
    const summary = jobOutput(run, 'Summary');
    expect(summary).toContain(`| linux-x86_64 | x86_64-unknown-linux-gnu | ${py} | built | failed |`);
    expect(summary).toContain(`Test linux-x86_64 · Python ${py}: the tests failed`);
    expect(stepResults(run, 'Summary')).toMatchObject({ 'One table for the whole matrix': 'failure' });
  }, 900_000);
});

describe('the release example, end to end under act', () => {
  it('publishes wheel and sdist to the index and the release with SHA256SUMS; pip installs it; running it again changes nothing', async () => {
    const pypi = await startPypiServer({ username: '__token__' });
    const githubToken = 'ghs_actReleaseTest';
    const github = await startGithubServer({
      repository: 'acme/setup',
      indexTarget: pypi.url,
      mintedToken: pypi.password,
      githubToken,
      // As on GitHub today: a published release's assets and tag are locked.
      immutableReleases: true,
    });
    try {
      // ferrowheel as the example names it — one commit for the reusable workflow and the
      // publish action — served from a copy whose own `$/` lines name that commit too.
      const pinned = /ferrowheel\/ferrowheel\/actions\/publish@([0-9a-f]{40})/.exec(
        readFileSync(path.join(repoRoot, 'examples', 'workflows', 'release.yml'), 'utf8'),
      )![1]!;
      const ferrowheel = copyRepository(freshDir('act-release-ferrowheel'), { ref: pinned });
      // The user's repository: the setup example at its root, and the release workflow.
      const project = freshDir('act-release-project');
      for (const file of execFileSync('git', ['ls-files', 'examples/setup'], {
        cwd: repoRoot,
        encoding: 'utf8',
      })
        .split('\n')
        .filter(Boolean)) {
        cpSync(path.join(repoRoot, file), path.join(project, path.relative('examples/setup', file)));
      }
      mkdirSync(path.join(project, '.github', 'workflows'), { recursive: true });
      cpSync(
        path.join(repoRoot, 'examples', 'workflows', 'release.yml'),
        path.join(project, '.github', 'workflows', 'release.yml'),
      );
      commitDirectory(project);
      // act takes github.repository from the origin remote.
      execFileSync('git', ['remote', 'add', 'origin', 'https://github.com/acme/setup.git'], { cwd: project });
      const event = path.join(freshDir('act-release-event'), 'push.json');
      // A public repository: the example attests there (actions/attest cannot in private ones
      // outside GitHub Enterprise Cloud).
      writeFileSync(event, JSON.stringify({ ref: 'refs/tags/v0.1.0', repository: { private: false } }));

      const artifacts = freshDir('act-release-artifacts');
      const release = async (name: string, only: string[] = []) => {
        const run = await runAct(name, project, [
          ...only,
          'push',
          '-W',
          '.github/workflows/release.yml',
          '-e',
          event,
          '--local-repository',
          `${SELF}@${pinned}=${ferrowheel.dir}`,
          ...standInArgs(freshDir('act-stand-ins')),
          // The repository variables the example reads: this host's platform and CPython, and
          // the local index's upload URL (the harness's front, which speaks PyPI's token exchange).
          '--var',
          'PLATFORMS=linux-x86_64',
          '--var',
          `PYTHON_VERSIONS=${py}`,
          '--var',
          `PYPI_REPOSITORY_URL=${github.url}/`,
          '--env',
          `ACTIONS_ID_TOKEN_REQUEST_URL=${github.oidcRequestUrl}`,
          '--env',
          `ACTIONS_ID_TOKEN_REQUEST_TOKEN=${github.oidcRequestToken}`,
          '--env',
          `GITHUB_API_URL=${github.url}`,
          '-s',
          `GITHUB_TOKEN=${githubToken}`,
          ...(await hostArgs(artifacts)),
        ]);
        seconds[name] = Math.round(run.seconds);
        return run;
      };

      const first = await release('release');
      expect(stepResults(first, 'Summary')).toMatchObject({ 'One table for the whole matrix': 'success' });
      expect(stepResults(first, 'Publish')).toMatchObject({
        'Download every wheel and the sdist': 'success',
        'Attest that this workflow built them': 'success',
        'Publish to PyPI and create the GitHub release': 'success',
      });
      const published = readdirSync(pypi.packagesDir).sort();
      expect(published).toEqual([
        expect.stringMatching(new RegExp(`^setup-0\\.1\\.0-${cp}-${cp}-.*x86_64\\.whl$`)),
        'setup-0.1.0.tar.gz',
      ]);
      const [tagged] = github.releases;
      expect(tagged).toMatchObject({ tag_name: 'v0.1.0', draft: false, immutable: true });
      const files = published.map((name) => ({
        name,
        data: readFileSync(path.join(pypi.packagesDir, name)),
      }));
      const sums = files.map((f) => `${sha256(f.data)}  ${f.name}`);
      expect(tagged!.assets.map((a) => a.name).sort()).toEqual([...published, 'SHA256SUMS'].sort());
      const sumsAsset = tagged!.assets.find((a) => a.name === 'SHA256SUMS')!;
      for (const line of sums) expect(sumsAsset.data.toString()).toContain(line);
      expect(jobOutput(first, 'Publish')).toContain(`Attested 2 subject(s): ${published.join(', ')}`);

      // pip installs it from the index, and the module imports.
      const venv = path.join(freshDir('act-release-venv'), 'venv');
      execFileSync(tool('python'), ['-m', 'venv', venv]);
      execFileSync(path.join(venv, 'bin', 'python'), [
        '-m',
        'pip',
        'install',
        '--quiet',
        '--no-cache-dir',
        '--index-url',
        pypi.simpleUrl,
        'setup==0.1.0',
      ]);
      expect(
        execFileSync(path.join(venv, 'bin', 'python'), ['-c', 'import setup; print(setup.it_works())'], {
          encoding: 'utf8',
        }).trim(),
      ).toBe('True');

      // The whole release again goes green and changes nothing. The build is reproducible
      // (SOURCE_DATE_EPOCH from the commit, remapped build paths, the SBOM maturin writes into the
      // wheel normalised): the rebuilt wheel and sdist are the same bytes, so publish
      // (skip-existing) finds both on the index with the same SHA256, and the immutable release
      // already holds them.
      const assetsBefore = tagged!.assets.map((a) => `${a.id} ${a.name} ${a.digest}`);
      const second = await release('release-again');
      expect(stepResults(second, 'Summary')).toMatchObject({ 'One table for the whole matrix': 'success' });
      expect(stepResults(second, 'Publish')).toMatchObject({
        'Download every wheel and the sdist': 'success',
        'Attest that this workflow built them': 'success',
        'Publish to PyPI and create the GitHub release': 'success',
      });
      const log = jobOutput(second, 'Publish');
      expect(log).not.toContain('::error');
      for (const name of published) {
        expect(log).toContain(
          `${name}: already on the index with the same SHA256 (an earlier run delivered it), skipped`,
        );
        expect(log).toContain(`${name}: verified`);
      }
      expect(log).toContain('SHA256SUMS: verified');
      expect(readdirSync(pypi.packagesDir).sort()).toEqual(published);
      for (const f of files)
        expect(sha256(readFileSync(path.join(pypi.packagesDir, f.name)))).toBe(sha256(f.data));
      expect(github.releases).toHaveLength(1);
      expect(github.releases[0]!.assets.map((a) => `${a.id} ${a.name} ${a.digest}`)).toEqual(assetsBefore);
    } finally {
      await Promise.all([pypi.stop(), github.stop()]);
    }
  }, 1_200_000);
});
