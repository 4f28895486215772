/**
 * Every way publish refuses to start, through the bundle: each fails before any upload with a
 * message that names the problem and the fix. (None of these reaches the network: the checks and
 * the credential decision come first.)
 */
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runAction } from '@ferrowheel/harness/run-action';
import { freshDir } from '@ferrowheel/harness/workdirs';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { fakeWheel, listOutput, read, setupPackages, workspaceWith } from './helpers.js';

let wheel: string;
let sdist: string;

beforeAll(() => {
  [wheel, sdist] = setupPackages() as [string, string];
}, 600_000);

async function failure(
  workspace: string,
  inputs: Record<string, string> = {},
  env: Record<string, string> = {},
) {
  const run = await runAction('publish', { workspace, inputs: { token: 'pypi-not-used', ...inputs }, env });
  expect(run.exitCode).toBe(1);
  expect(run.errors).toHaveLength(1);
  expect(listOutput(run, 'published')).toEqual([]);
  return run.errors[0]!;
}

describe('publish refuses bad packages', () => {
  it('an empty packages directory', async () => {
    const workspace = workspaceWith([]);
    const error = await failure(workspace);
    expect(error).toBe(
      `No wheels or sdists found in ${path.join(workspace, 'dist')}. Build them first (ferrowheel/ferrowheel/actions/build, or actions/download-artifact into that directory), or point 'packages-dir'/'packages' at them.`,
    );
  }, 30_000);

  it('a packages directory that does not exist', async () => {
    const error = await failure(freshDir('publish-ws'), { 'packages-dir': 'wheelhouse' });
    expect(error).toMatch(
      /^The packages directory .*wheelhouse does not exist\. .*point 'packages-dir' at where the wheels are\.$/,
    );
  }, 30_000);

  it('files of two projects', async () => {
    const workspace = workspaceWith([wheel, sdist]);
    fakeWheel(path.join(workspace, 'dist'), 'other-1.0-py3-none-any.whl', 'other', '1.0');
    const error = await failure(workspace);
    expect(error).toContain(
      'Cannot publish: the files are not one release of one project: other 1.0, setup 0.1.0',
    );
    expect(error).toContain('Nothing was uploaded. Publish one project version per step');
  }, 30_000);

  it('malformed and renamed file names, and an empty file', async () => {
    const workspace = workspaceWith([wheel, sdist], {
      [path.basename(wheel)]: 'setup-0.1.0.whl',
    });
    copyFileSync(wheel, path.join(workspace, 'dist', 'setup-0.2.0-cp311-cp311-manylinux_2_34_x86_64.whl'));
    writeFileSync(path.join(workspace, 'dist', 'setup-0.1.0-py3-none-any.whl'), '');
    const error = await failure(workspace);
    expect(error).toContain('setup-0.1.0.whl is not name-version[-build]-python-abi-platform.whl');
    expect(error).toContain(
      "setup-0.2.0-cp311-cp311-manylinux_2_34_x86_64.whl: its metadata has version '0.1.0', its file name '0.2.0'",
    );
    expect(error).toContain('setup-0.1.0-py3-none-any.whl is empty (0 bytes)');
    expect(error).toContain('remove stray or renamed files from the packages directory');
  }, 30_000);

  it('a wheel that is not a zip', async () => {
    const workspace = workspaceWith([sdist]);
    writeFileSync(
      path.join(workspace, 'dist', 'setup-0.1.0-py3-none-any.whl'),
      'not a zip at all, just text',
    );
    const error = await failure(workspace);
    expect(error).toContain(
      'setup-0.1.0-py3-none-any.whl: its metadata cannot be read: the file is not a zip file (no end of central directory record)',
    );
  }, 30_000);

  it('the same file twice through patterns', async () => {
    const workspace = workspaceWith([wheel]);
    mkdirSync(path.join(workspace, 'more'));
    copyFileSync(wheel, path.join(workspace, 'more', path.basename(wheel)));
    const error = await failure(workspace, { packages: 'dist/*.whl\nmore/**/*.whl' });
    expect(error).toContain(`${path.basename(wheel)} is there twice`);
  }, 30_000);
});

describe('publish refuses bad settings', () => {
  it('a plain-http repository-url to another host', async () => {
    const error = await failure(workspaceWith([wheel]), {
      'repository-url': 'http://pypi.example.com/legacy/',
    });
    expect(error).toBe(
      `Input 'repository-url' is plain http to pypi.example.com, which would send the token unencrypted: got "http://pypi.example.com/legacy/". Use the https:// URL of the index (plain http is allowed only for 127.0.0.1/localhost).`,
    );
  }, 30_000);

  it('no credentials at all, and no OIDC', async () => {
    const error = await failure(workspaceWith([wheel, sdist]), { token: '' });
    expect(error).toBe(
      "No credentials to upload to PyPI: 'token' is empty and trusted publishing is not available (ACTIONS_ID_TOKEN_REQUEST_URL is not set). Either register this workflow as a trusted publisher on the index and give the job 'permissions: id-token: write', or pass an API token: 'token: ${{ secrets.PYPI_API_TOKEN }}'.",
    );
  }, 30_000);

  it('trusted-publishing: true without id-token: write', async () => {
    const error = await failure(workspaceWith([wheel]), { token: '', 'trusted-publishing': 'true' });
    expect(error).toContain(
      "The job cannot request an OIDC token: ACTIONS_ID_TOKEN_REQUEST_URL is not set. Give the publish job 'permissions: id-token: write'",
    );
  }, 30_000);

  it('attestations: true with a token and no OIDC (attestations need trusted publishing)', async () => {
    const error = await failure(workspaceWith([wheel]), { attestations: 'true' });
    expect(error).toBe(
      `Input 'attestations' asks for PEP 740 attestations, which need trusted publishing: they are signed with this job's GitHub OIDC identity, and the job has no OIDC token (ACTIONS_ID_TOKEN_REQUEST_URL is not set): got "true". Register this workflow as a trusted publisher on the index, give the job 'permissions: id-token: write' and leave 'token' empty; or set 'attestations: false' to publish with the token and without attestations.`,
    );
  }, 30_000);

  it('attestations: true with a token for PyPI, which takes attestations only with trusted publishing', async () => {
    const error = await failure(
      workspaceWith([wheel]),
      { attestations: 'yes' },
      { ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:9/token', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'x' },
    );
    expect(error).toContain(
      "Input 'attestations' asks for PEP 740 attestations, but the upload would use 'token', and PyPI accepts attestations only with trusted publishing",
    );
  }, 30_000);

  it('a bad enum and a bad number', async () => {
    expect(await failure(workspaceWith([wheel]), { 'trusted-publishing': 'maybe' })).toBe(
      `Input 'trusted-publishing' is not one of the allowed values: got "maybe". Use one of: auto, true, false.`,
    );
    expect(await failure(workspaceWith([wheel]), { retries: 'lots' })).toContain(
      "Input 'retries' is not a whole number",
    );
  }, 30_000);
});

describe('dry-run', () => {
  it('checks and checksums without credentials or uploads', async () => {
    const workspace = workspaceWith([wheel, sdist]);
    const run = await runAction('publish', { workspace, inputs: { 'dry-run': 'true' } });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(
      'Dry run: would publish 2 file(s) to https://upload.pypi.org/legacy/; nothing was uploaded.',
    );
    const sums = path.join(workspace, 'dist', 'SHA256SUMS');
    expect(existsSync(sums)).toBe(true);
    expect(read(sums).split('\n').filter(Boolean)).toHaveLength(2);
    expect(run.summary).toContain('dry run: not uploaded');
    expect(listOutput(run, 'published')).toEqual([]);
  }, 30_000);
});
