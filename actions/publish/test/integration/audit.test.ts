/**
 * publish's audit (`audit: error|warn`), for wheels it did not see built: the same kit code as the
 * build's, through the bundle, in dry runs (the audit comes before any upload). The wheels are
 * built by maturin itself from the audit fixture crates (packages/harness/test/fixtures/audit/),
 * as another tool would build them: a wheel whose module does not export its PyInit (maturin only
 * warns), and one built inside the workspace that embeds the workspace's path.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { type ActionRun, runAction } from '@ferrowheel/harness/run-action';
import { cargoTargetDir, freshDir, repoRoot, tool, toolsBin } from '@ferrowheel/harness/workdirs';
import { describe, expect, it } from '@jest/globals';

const fixtures = path.join(repoRoot, 'packages', 'harness', 'test', 'fixtures', 'audit');

/** Copies a fixture crate into `workspace` and builds its wheel into `workspace/dist` with maturin. */
function buildFixture(workspace: string, name: string): string {
  const dir = path.join(workspace, name);
  cpSync(path.join(fixtures, name), dir, { recursive: true });
  const dist = path.join(workspace, 'dist');
  execFileSync(tool('maturin'), ['build', '--release', '--out', dist], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, CARGO_TARGET_DIR: cargoTargetDir(), CARGO_TERM_COLOR: 'never' },
  });
  return readdirSync(dist).find((f) => f.endsWith('.whl'))!;
}

function publish(workspace: string, audit: string): Promise<ActionRun> {
  return runAction('publish', {
    workspace,
    inputs: { 'dry-run': 'true', audit },
    env: { PATH: `${toolsBin}${path.delimiter}${process.env.PATH}` },
  });
}

describe('publish audit (dry runs, real wheels)', () => {
  it('stops a wheel whose module does not export PyInit_<module>, naming what it does export', async () => {
    const workspace = freshDir('publish-audit');
    const wheel = buildFixture(workspace, 'audit-noinit');
    const run = await publish(workspace, 'error');
    expect(run.exitCode).toBe(1);
    expect(run.errors.filter((e) => e.includes("'pyinit-export'"))).toEqual([
      `${wheel} breaks the audit rule 'pyinit-export': audit_noinit/audit_noinit.abi3.so (elf, x86_64) does not export PyInit_audit_noinit (it exports PyInit_audit_renamed), so \`import audit_noinit.audit_noinit\` fails. Fix: Python imports a module <m> by calling PyInit_<m>: name the #[pymodule] function (or #[pyo3(name = ...)]) exactly as the last part of the module name ([lib] name, or [tool.maturin] module-name).`,
    ]);
    expect(run.errors.at(-1)).toContain('nothing was uploaded');
    expect(run.stdout).not.toContain('Dry run: would publish');
    expect(run.summary).toContain('**Audit** (`audit: error`)');
  }, 300_000);

  it('stops a wheel that holds the workspace path (the SBOM, and env!("CARGO_MANIFEST_DIR") in the binary)', async () => {
    const workspace = freshDir('publish-audit');
    const wheel = buildFixture(workspace, 'audit-paths');
    const run = await publish(workspace, 'error');
    expect(run.exitCode).toBe(1);
    const [leak, ...more] = run.errors.filter((e) => e.includes("'build-paths'"));
    expect(more).toEqual([]);
    expect(leak).toContain(
      `${wheel} breaks the audit rule 'build-paths': holds paths under the workspace (${workspace}) in audit_paths/audit_paths.abi3.so, audit_paths-0.1.0.dist-info/sboms/audit-paths.cyclonedx.json, e.g. ${path.join(workspace, 'audit-paths')}`,
    );
  }, 300_000);

  it('with audit: warn, warns about the same wheel and goes on', async () => {
    const workspace = freshDir('publish-audit');
    buildFixture(workspace, 'audit-noinit');
    const run = await publish(workspace, 'warn');
    expect(run.exitCode).toBe(0);
    expect(run.warnings.filter((w) => w.includes("'pyinit-export'"))).toHaveLength(1);
    expect(run.stdout).toContain('Dry run: would publish 1 file(s)');
  }, 300_000);
});
