/**
 * The pipeline's last proof imports the published module with a real file
 * (scripts/pipeline/import-module.py) that takes the module's name as argv: ruff checks it, and a
 * name is only ever a name, never code; the module can only come from the venv's own paths.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { IMPORT_MODULE_SCRIPT } from '../../../scripts/pipeline/verify.js';
import { ruffCheck } from '../src/script-lint.js';
import { freshDir } from '../src/workdirs.js';

function importModule(name: string, cwd: string): { code: number; out: string } {
  try {
    const out = execFileSync('python3', [IMPORT_MODULE_SCRIPT, name], {
      cwd,
      encoding: 'utf8',
      stdio: 'pipe',
    });
    return { code: 0, out };
  } catch (thrown) {
    const failed = thrown as { status: number; stdout: string; stderr: string };
    return { code: failed.status, out: `${failed.stdout}${failed.stderr}` };
  }
}

describe('import-module.py', () => {
  it('passes ruff', () => {
    expect(() => ruffCheck(IMPORT_MODULE_SCRIPT)).not.toThrow();
  });

  it('imports the module named in argv and prints its file', () => {
    const result = importModule('json', freshDir('import-module'));
    expect(result.code).toBe(0);
    expect(result.out.trim()).toMatch(/json[\\/]__init__\.py$/);
  });

  it('reads the name as a name: code in it is not run', () => {
    const dir = freshDir('import-module');
    const marker = path.join(dir, 'ran');
    const result = importModule(`json; open(${JSON.stringify(marker)}, 'w')`, dir);
    expect(result.code).not.toBe(0);
    expect(result.out).toContain('ModuleNotFoundError');
    expect(existsSync(marker)).toBe(false);
  });

  it('does not find a module in the working directory or beside the script', () => {
    const dir = freshDir('import-module');
    writeFileSync(path.join(dir, 'stray_module.py'), '');
    const result = importModule('stray_module', dir);
    expect(result.code).not.toBe(0);
    expect(result.out).toContain("No module named 'stray_module'");
  });
});
