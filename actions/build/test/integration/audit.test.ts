/**
 * The audit through the bundle, on real wheels: examples/setup's, and one small fixture crate per
 * rule (packages/harness/test/fixtures/audit/: pyo3-ffi modules that compile in a second, sharing
 * one cargo target dir) that breaks exactly that rule. The tools (abi3audit, auditwheel, twine)
 * come from the hash-locked venv the first audit creates in the shared tool cache.
 */
import { cpSync } from 'node:fs';
import path from 'node:path';
import { copyExample } from '@ferrowheel/harness/example-wheel';
import { type ActionRun, runAction } from '@ferrowheel/harness/run-action';
import { cargoTargetDir, freshDir, repoRoot, toolsBin } from '@ferrowheel/harness/workdirs';
import { describe, expect, it } from '@jest/globals';

const fixtures = path.join(repoRoot, 'packages', 'harness', 'test', 'fixtures', 'audit');

/** A fixture crate copied into a fresh workspace. */
function copyFixture(name: string): string {
  const dir = path.join(freshDir(`audit-${name}`), name);
  cpSync(path.join(fixtures, name), dir, { recursive: true });
  return dir;
}

async function build(
  dir: string,
  inputs: Record<string, string> = {},
  env: Record<string, string | undefined> = {},
): Promise<ActionRun> {
  return runAction('build', {
    workspace: path.dirname(dir),
    inputs: { 'working-directory': path.basename(dir), container: 'off', ...inputs },
    env: {
      PATH: `${toolsBin}${path.delimiter}${process.env.PATH}`,
      CARGO_TARGET_DIR: cargoTargetDir(),
      CARGO_TERM_COLOR: 'never',
      ...env,
    },
  });
}

/** The audit's annotations of one rule. */
function findings(messages: readonly string[], rule: string): string[] {
  return messages.filter((m) => m.includes(`breaks the audit rule '${rule}'`));
}

/** The audit table's row of a wheel: its marks per rule, in the table's order. */
function auditRow(run: ActionRun): string[] {
  const line = run.summary.split('\n').find((l) => /^\| `.+\.whl` \| (✅|❌|⚠️|–|not checked) \|/.test(l));
  if (!line) throw new Error(`no audit row in the summary:\n${run.summary}`);
  return line.split(' | ').slice(1, 7);
}

describe('build audit (real wheels, real tools)', () => {
  it("passes examples/setup's wheel on every rule: the build remapped its paths (pyo3's registry paths too) and cleaned the SBOM", async () => {
    const dir = copyExample('setup');
    const run = await build(dir);
    expect(run.exitCode).toBe(0);
    // abi3 | manylinux policy | metadata | build paths | top level | PyInit
    expect(auditRow(run)).toEqual(['–', '✅', '✅', '✅', '✅', '✅']);
    expect(run.errors).toEqual([]);
    expect(findings(run.warnings, 'build-paths')).toEqual([]);
    expect(run.summary).toContain('**Audit** (`audit: error`)');
    expect(run.summary).toMatch(/Tools: abi3audit, auditwheel show, twine check --strict \(Python 3\.\d+/);
  }, 300_000);

  it('fails an abi3 wheel that calls a function outside the limited API (abi3audit)', async () => {
    const run = await build(copyFixture('audit-abi3'));
    expect(run.exitCode).toBe(1);
    const [finding, ...more] = findings(run.errors, 'abi3');
    expect(more).toEqual([]);
    expect(finding).toMatch(
      /^audit_abi3-0\.1\.0-cp39-abi3-manylinux_2_\d+_x86_64\.whl breaks the audit rule 'abi3': audit_abi3\.abi3\.so calls 1 function\(s\) outside the limited API: PyUnicode_AsUTF8\. Fix: Call only functions of the limited API/,
    );
    expect(auditRow(run)).toEqual(['❌', '✅', '✅', '✅', '✅', '✅']);
    expect(run.errors.at(-1)).toContain('The audit of the built wheels failed: 1 finding(s)');
  }, 300_000);

  it('fails a wheel that claims manylinux2014 but links the system OpenSSL and needs a newer glibc (auditwheel show)', async () => {
    // maturin's own policy check is skipped, as a build outside ferrowheel (or a hurried one) does.
    const run = await build(copyFixture('audit-libcrypto'), { manylinux: '2014', args: '--auditwheel skip' });
    expect(run.exitCode).toBe(1);
    const [finding, ...more] = findings(run.errors, 'manylinux-policy');
    expect(more).toEqual([]);
    expect(finding).toContain(
      "audit_libcrypto-0.1.0-cp39-abi3-manylinux2014_x86_64.manylinux_2_17_x86_64.whl breaks the audit rule 'manylinux-policy': claims manylinux_2_17_x86_64, but auditwheel show finds it meets only linux_x86_64:",
    );
    expect(finding).toMatch(
      /its symbol versions need manylinux_2_\d+_x86_64 \(GLIBC_2\.18, .*GLIBC_2\.\d+, newer than glibc 2\.17\)/,
    );
    expect(finding).toContain('it links libraries outside the policy: libcrypto.so.3');
    expect(finding).toContain('Fix: Build where the tag');
  }, 300_000);

  it('fails a wheel whose README does not render (twine check --strict)', async () => {
    const run = await build(copyFixture('audit-readme'));
    expect(run.exitCode).toBe(1);
    const [finding, ...more] = findings(run.errors, 'metadata');
    expect(more).toEqual([]);
    expect(finding).toContain(
      'breaks the audit rule \'metadata\': twine check --strict fails: ERROR `long_description` has syntax errors in markup and would not be rendered on PyPI. line 4: Error: Unknown target name: "the documentation".',
    );
    expect(finding).toContain('Fix: Set [project] readme in pyproject.toml');
  }, 300_000);

  it('fails a wheel that installs NOTES.txt at the top of site-packages', async () => {
    const run = await build(copyFixture('audit-toplevel'));
    expect(run.exitCode).toBe(1);
    expect(findings(run.errors, 'top-level')).toEqual([
      expect.stringContaining(
        "breaks the audit rule 'top-level': installs 1 unexpected top-level entry into site-packages: NOTES.txt (expected: audit_toplevel, the .dist-info, .data and .libs directories, .pth files)",
      ),
    ]);
  }, 300_000);

  it('fails a wheel whose binary holds the crate directory through env!("CARGO_MANIFEST_DIR"), which no remapping reaches', async () => {
    const dir = copyFixture('audit-paths');
    const run = await build(dir);
    expect(run.exitCode).toBe(1);
    const [leak, ...more] = findings(run.errors, 'build-paths');
    expect(more).toEqual([]);
    // The SBOM was cleaned: only the binary is named.
    expect(leak).toContain(
      `under the workspace (${path.dirname(dir)}) in audit_paths/audit_paths.abi3.so, e.g. ${dir}`,
    );
    expect(leak).not.toContain('(expected');
    expect(auditRow(run)).toEqual(['✅', '✅', '✅', '❌', '✅', '✅']);
  }, 300_000);

  it("with reproducible: false (nothing remapped), reports the same paths as expected warnings, the SBOM's too", async () => {
    const dir = copyFixture('audit-paths');
    const run = await build(dir, { reproducible: 'false' });
    expect(run.exitCode).toBe(0);
    const leaks = findings(run.warnings, 'build-paths').join('\n');
    expect(leaks).toContain(
      `under the workspace (${path.dirname(dir)}) in audit_paths/audit_paths.abi3.so, audit_paths-0.1.0.dist-info/sboms/audit-paths.cyclonedx.json, `,
    );
    expect(leaks).toContain(`e.g. ${dir}`);
    expect(leaks).toContain('(expected: the build did not remap it)');
    expect(auditRow(run)).toEqual(['✅', '✅', '✅', '⚠️', '✅', '✅']);
  }, 300_000);

  it('with audit: warn, reports the same finding as a warning and passes', async () => {
    const run = await build(copyFixture('audit-abi3'), { audit: 'warn' });
    expect(run.exitCode).toBe(0);
    expect(findings(run.errors, 'abi3')).toEqual([]);
    expect(findings(run.warnings, 'abi3')).toEqual([expect.stringContaining('PyUnicode_AsUTF8')]);
    expect(run.summary).toContain('**Audit** (`audit: warn`)');
  }, 300_000);

  it('with audit: off, audits nothing', async () => {
    const run = await build(copyFixture('audit-abi3'), { audit: 'off' });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('audit: off (the wheels are not audited');
    expect(run.summary).not.toContain('**Audit**');
    expect(findings([...run.errors, ...run.warnings], 'abi3')).toEqual([]);
  }, 300_000);

  describe('when the tools cannot be installed (no index reachable, empty tool cache)', () => {
    // uv (first on PATH) offline, with a cache of its own that is empty: nothing to install from.
    const offline = (): Record<string, string> => ({
      PATH: `${toolsBin}${path.delimiter}${process.env.PATH}`,
      UV_OFFLINE: '1',
      UV_CACHE_DIR: freshDir('empty-uv-cache'),
    });

    it('audit: error fails with the reason and the fix, after its own checks', async () => {
      const run = await runOffline({ audit: 'error' }, offline());
      expect(run.exitCode).toBe(1);
      const [tools] = run.errors.filter((e) => e.startsWith('Could not install the audit tools'));
      expect(tools).toMatch(
        /^Could not install the audit tools \(abi3audit, auditwheel, twine\) from their hash-locked requirements with uv:\n/,
      );
      expect(tools).toContain('the network was disabled');
      expect(tools).toContain('Fix: The runner must reach PyPI');
      // ferrowheel's own rules still ran; the tools' rules say why they were not checked.
      expect(auditRow(run)).toEqual(['not checked', 'not checked', 'not checked', '✅', '✅', '✅']);
      expect(run.summary).toContain(
        '**abi3** not checked: the audit tools (abi3audit, auditwheel, twine) are not available.',
      );
      expect(run.errors.at(-1)).toContain('its tools could not be installed');
    }, 300_000);

    it('audit: warn warns and passes', async () => {
      const run = await runOffline({ audit: 'warn' }, offline());
      expect(run.exitCode).toBe(0);
      expect(run.warnings.filter((w) => w.startsWith('Could not install the audit tools'))).toHaveLength(1);
    }, 300_000);
  });
});

/**
 * A fixture whose wheel breaks only a rule the tools check (its README), built with an empty tool
 * cache of its own: the rule is not checked, ferrowheel's own rules pass.
 */
async function runOffline(inputs: Record<string, string>, env: Record<string, string>): Promise<ActionRun> {
  const dir = copyFixture('audit-readme');
  return runAction('build', {
    workspace: path.dirname(dir),
    toolCache: freshDir('empty-tool-cache'),
    inputs: { 'working-directory': path.basename(dir), container: 'off', ...inputs },
    env: { CARGO_TARGET_DIR: cargoTargetDir(), CARGO_TERM_COLOR: 'never', ...env },
  });
}
