/**
 * The README's benchmark table is generated from the committed results file
 * (scripts/bench/results.json, written by `npm run bench`); this keeps the two in step and the
 * file well-formed. It checks the format, never the timings.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { readmeFile, readResults, renderTable, tableInReadme } from '../../../scripts/bench/lib/results.mjs';

interface Row {
  bench: string;
  what: string;
  unit: string;
  median: number;
  runs: number;
  against?: string;
  baseline?: number;
  ratio?: number;
  goal?: number;
  /** Why the measure could not be taken (then there is no median, baseline or ratio). */
  unmeasured?: string;
}

const results = readResults() as { date: string; machine: Record<string, unknown>; rows: Row[] };

describe('scripts/bench/results.json', () => {
  it('says when and on what machine it was measured', () => {
    expect(results.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(results.machine).toEqual(
      expect.objectContaining({
        cpus: expect.any(Number),
        cpu: expect.any(String),
        memory: expect.stringMatching(/GiB$/),
        os: expect.any(String),
        node: expect.stringMatching(/^v\d+/),
        loadAverage: expect.any(Array),
      }),
    );
  });

  it('has every measure the bench takes, each a median of enough runs', () => {
    const benches = new Set(results.rows.map((r) => r.bench));
    for (const bench of [
      'startup',
      'setup-maturin',
      'build',
      'container-build',
      'pgo',
      'test-install',
      'pipeline',
    ])
      expect(benches).toContain(bench);
    for (const r of results.rows) {
      if (r.unmeasured !== undefined) {
        // A measure not taken says why, and carries no numbers.
        expect(r.unmeasured).toMatch(/\S{3}/);
        expect(r).not.toHaveProperty('median');
        expect(r).not.toHaveProperty('ratio');
        continue;
      }
      expect(r.median).toBeGreaterThan(0);
      expect(r.runs).toBeGreaterThanOrEqual(3);
      if (r.against !== undefined) {
        // The ratio is the one of the two medians (rounded as written).
        expect(r.ratio).toBeCloseTo(r.median / r.baseline!, 1);
      }
    }
    expect(results.rows.filter((r) => r.bench === 'startup' && r.goal === 1.25)).toHaveLength(10);
    expect(results.rows.find((r) => r.bench === 'build' && r.goal !== undefined)?.goal).toBe(0.15);
    expect(results.rows.find((r) => r.bench === 'pipeline' && r.goal !== undefined)?.goal).toBe(1.1);
    expect(results.rows.find((r) => r.bench === 'container-build' && r.goal !== undefined)?.goal).toBe(0.2);
    // PGO against plain on examples/pgo's training: wall and CPU time, and the action's own measure.
    expect(results.rows.filter((r) => r.bench === 'pgo' && r.against === 'plain wheel')).toHaveLength(3);
    // uv against pip, unlocked and locked (uv.lock, lock: require).
    expect(
      results.rows.filter((r) => r.bench === 'test-install' && /install phase with uv/.test(r.what)),
    ).toHaveLength(2);
  });
});

describe("README.md's benchmark table", () => {
  it('is the one generated from the committed results file', () => {
    const readme = readFileSync(readmeFile, 'utf8');
    expect(tableInReadme(readme)).toBe(renderTable(results));
  });
});
