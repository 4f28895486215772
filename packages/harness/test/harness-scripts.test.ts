/**
 * The scripts the harness runs by path are real files that the linter checks: every Python file
 * under packages/harness/src (write-htpasswd.py, the tests' archives.py...) passes ruff, and so
 * does every other Python file this repository owns (the actions' shipped scripts, the tests'
 * helpers, the benchmarks'); the examples' and fixtures' code is the users' and is left as written.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { writeHtpasswd } from '../src/pypi-server.js';
import { ruffCheck } from '../src/script-lint.js';
import { freshDir, repoRoot } from '../src/workdirs.js';

const src = path.join(repoRoot, 'packages', 'harness', 'src');
const pythonFiles = readdirSync(src)
  .filter((f) => f.endsWith('.py'))
  .map((f) => path.join(src, f));

describe('harness scripts', () => {
  it('has Python files, and each passes ruff', () => {
    expect(pythonFiles.map((f) => path.basename(f))).toEqual(
      expect.arrayContaining(['archives.py', 'write-htpasswd.py']),
    );
    for (const file of pythonFiles) expect(() => ruffCheck(file)).not.toThrow();
  });

  it("every Python file of the repository's own passes ruff", () => {
    const owned = execFileSync('git', ['ls-files', '-z', '--', '*.py'], { cwd: repoRoot, encoding: 'utf8' })
      .split('\0')
      .filter((file) => file !== '' && !/^examples\/|\/fixtures\/|\/dist\//.test(file));
    expect(owned).toEqual(
      expect.arrayContaining(['actions/publish/test/check_attestation.py', 'scripts/bench/lib/cpu_time.py']),
    );
    for (const file of owned) expect(() => ruffCheck(path.join(repoRoot, file))).not.toThrow();
  });

  it('writes an htpasswd file with an apr1 hash per user, the password nowhere in it', () => {
    const file = path.join(freshDir('htpasswd'), 'htpasswd');
    writeHtpasswd(file, { uploader: 's3cret pw', other: 'x' });
    const lines = readFileSync(file, 'utf8').trim().split('\n').sort();
    expect(lines).toEqual([
      expect.stringMatching(/^other:\$apr1\$[^:]+$/),
      expect.stringMatching(/^uploader:\$apr1\$[^:]+$/),
    ]);
    expect(readFileSync(file, 'utf8')).not.toContain('s3cret');
  });
});
