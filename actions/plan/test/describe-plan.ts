/** One readable line per platform of a plan, so tests can state whole matrices exactly. */
import type { Plan } from '../src/matrix.js';
import { builtBy } from '../src/row-states.js';
import { notBuiltText, notTestedText } from '../src/summary-text.js';

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
    for (const plannedRow of p.rows.filter((r) => r.platform === platform)) {
      const test = p.test.find((t) => t.platform === platform && t.python === plannedRow.python);
      // A row served by the wheel another interpreter builds says whose (abi3, abi3t).
      const by = builtBy(plannedRow);
      const row = {
        ...plannedRow,
        python: by === plannedRow.python ? by : `${plannedRow.python} (${by}'s wheel)`,
      };
      if (row.build.kind === 'not-built') parts.push(`${row.python} ${notBuiltText(row.build.reason)}`);
      else if (row.test.kind === 'not-tested') parts.push(`${row.python} ${notTestedText(row.test.reason)}`);
      else if (test === undefined) parts.push(`${row.python} has a test row but no test leg`);
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
