/**
 * The repository's own shell scripts — the set-up and test scripts CI runs (.ci/run,
 * scripts/*.sh: bootstrap, ensure-docker, test, ci-as-runner…) — pass shellcheck at its strictest
 * severity, found by listing so a new one is checked too. The Node scripts are type-checked
 * (tsc, `// @ts-check`) and linted (biome) with the rest.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from '@jest/globals';
import { shellcheck } from '../src/script-lint.js';
import { repoRoot } from '../src/workdirs.js';

const scripts = [
  '.ci/run',
  ...['scripts', 'scripts/lib']
    .filter((dir) => existsSync(path.join(repoRoot, dir)))
    .flatMap((dir) =>
      readdirSync(path.join(repoRoot, dir))
        .filter((f) => f.endsWith('.sh'))
        .map((f) => `${dir}/${f}`),
    ),
].sort();

it('finds the scripts by listing, the privileged ones included', () => {
  expect(scripts).toEqual(
    expect.arrayContaining([
      '.ci/run',
      'scripts/bootstrap.sh',
      'scripts/ci-as-runner.sh',
      'scripts/ensure-docker.sh',
      'scripts/test.sh',
    ]),
  );
});

// Following what each sources (scripts/lib/as-root.sh, say), so a sourced helper's functions are
// known where they are called.
it.each(scripts)('%s passes shellcheck', (script) => {
  expect(() => shellcheck(path.join(repoRoot, script), { followSources: true })).not.toThrow();
});
