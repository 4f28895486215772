/** One readable line per platform of a plan, so tests can state whole matrices exactly. */
import type { Plan } from '../src/matrix.js';

export function describePlan(p: Plan): string[] {
  const platforms = [...new Set(p.rows.map((r) => r.platform))];
  return platforms.map((platform) => {
    const build = p.build.find((b) => b.platform === platform);
    const parts = [
      platform,
      build
        ? `${build.runner} ${build.target}${build.manylinux ? ` ${build.manylinux}` : ''}${build.architecture ? ` ${build.architecture}` : ''}`
        : 'not built',
      build ? `build ${build.interpreters}${build.sdist ? ' +sdist' : ''}` : '',
    ];
    for (const row of p.rows.filter((r) => r.platform === platform)) {
      const test = p.test.find((t) => t.platform === platform && t.python === row.python);
      if (row.notBuilt !== '') parts.push(`${row.python} not built: ${row.notBuilt}`);
      else if (test === undefined) parts.push(`${row.python} not tested: ${row.notTested}`);
      else if (test.mode === 'native')
        parts.push(
          `${row.python} native on ${test.runner}${test.architecture ? ` ${test.architecture}` : ''}`,
        );
      else
        parts.push(`${row.python} ${test.mode} ${test.image} ${test['docker-platform']} on ${test.runner}`);
    }
    return parts.filter((p) => p !== '').join(' | ');
  });
}
