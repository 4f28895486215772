/**
 * The matrix's rows as typed outcomes, rendered once: a leg's build (built, or failed with the
 * reason), and per wheel its tags, ELF machine and test (passed, failed, or not tested here with
 * the reason, which comes from the images' data, never from a failure's text).
 */

export type BuildOutcome = { kind: 'built'; seconds: number } | { kind: 'failed'; problem: string };

export type TestOutcome =
  | { kind: 'passed'; seconds: number; where: string }
  | { kind: 'failed'; seconds: number; where: string; output: string }
  | { kind: 'not-tested'; reason: string };

export interface WheelRow {
  leg: string;
  wheel: string;
  tags: string;
  /** `AArch64 (183)`, with whether it is the leg's. */
  elf: { name: string; ok: boolean };
  libc: string;
  test: TestOutcome;
}

export interface LegRow {
  leg: string;
  standIn: string;
  build: BuildOutcome;
  wheels: WheelRow[];
}

const seconds = (s: number) => `${s.toFixed(1)} s`;

function testCell(test: TestOutcome): string {
  switch (test.kind) {
    case 'passed':
      return `passed (${seconds(test.seconds)}, ${test.where})`;
    case 'failed':
      return `FAILED (${seconds(test.seconds)}, ${test.where})`;
    case 'not-tested':
      return `not tested here: ${test.reason}`;
  }
}

/** The table, as Markdown: one line per wheel, one per leg that built none. */
export function renderTable(legs: LegRow[]): string {
  const lines = [
    '| leg | wheel | tags | ELF machine | libc | build | test |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const leg of legs) {
    const build = leg.build.kind === 'built' ? seconds(leg.build.seconds) : `FAILED: ${leg.build.problem}`;
    if (leg.wheels.length === 0) lines.push(`| ${leg.leg} | – | – | – | – | ${build} | – |`);
    for (const w of leg.wheels) {
      const elf = `${w.elf.name}${w.elf.ok ? '' : ' (WRONG)'}`;
      lines.push(
        `| ${leg.leg} | \`${w.wheel}\` | ${w.tags} | ${elf} | ${w.libc} | ${build} | ${testCell(w.test)} |`,
      );
    }
  }
  return lines.join('\n');
}

/** Whether everything that ran went well (not-tested rows with a reason are fine). */
export function allGood(legs: LegRow[]): boolean {
  return legs.every(
    (l) => l.build.kind === 'built' && l.wheels.every((w) => w.elf.ok && w.test.kind !== 'failed'),
  );
}
