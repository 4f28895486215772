import { describe, expect, it } from '@jest/globals';
import { type ActLine, type ActRun, jobSeconds, stepResults } from '../src/act.js';

function run(lines: ActLine[]): ActRun {
  return { code: 1, seconds: 0, lines, stderr: '' };
}

const leg = { platform: 'musllinux-x86_64' };
const job = 'wheels/build-wheels/Build musllinux-x86_64-7 ';

describe("act's JSON log", () => {
  it("a step's result is its main stage's: a post stage that succeeds does not hide its failure", () => {
    const log = run([
      {
        job,
        matrix: leg,
        step: 'Build wheels',
        stage: 'Main',
        stepResult: 'failure',
        time: '2026-12-07T01:20:10Z',
      },
      {
        job,
        matrix: leg,
        step: 'Upload wheels',
        stage: 'Main',
        stepResult: 'success',
        time: '2026-12-07T01:21:00Z',
      },
      {
        job,
        matrix: leg,
        step: 'Build wheels',
        stage: 'Post',
        stepResult: 'success',
        time: '2026-12-07T01:21:48Z',
      },
      { job: 'wheels/build-wheels/Summary', step: 'One table', stage: 'Main', stepResult: 'failure' },
    ]);
    expect(stepResults(log, 'Build musllinux-x86_64', leg)).toEqual({
      'Build wheels': 'failure',
      'Upload wheels': 'success',
    });
    expect(stepResults(log, 'Build musllinux-x86_64', { platform: 'linux-x86_64' })).toEqual({});
  });

  it("a job's wall time runs from its first to its last logged line", () => {
    const log = run([
      { job, matrix: leg, msg: 'start', time: '2026-12-07T01:20:10Z' },
      { job, matrix: leg, msg: 'end', time: '2026-12-07T01:21:48Z' },
      { job: 'wheels/build-wheels/Summary', msg: 'later', time: '2026-12-07T01:30:00Z' },
    ]);
    expect(jobSeconds(log, 'Build musllinux-x86_64', leg)).toBe(98);
    expect(jobSeconds(log, 'Plan')).toBe(0);
  });
});
