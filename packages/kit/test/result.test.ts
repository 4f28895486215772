import { describe, expect, it } from '@jest/globals';
import { fail, ok, type Result, unwrap } from '../src/result.js';

describe('Result', () => {
  it('holds a value or a problem, told apart by ok', () => {
    const good: Result<number> = ok(3);
    const bad: Result<number> = fail('is not a number');
    expect(good).toEqual({ ok: true, value: 3 });
    expect(bad).toEqual({ ok: false, problem: 'is not a number' });
    expect(unwrap(good)).toBe(3);
    expect(() => unwrap(bad)).toThrow('is not a number');
  });
});
