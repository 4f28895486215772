import { describe, expect, it } from '@jest/globals';
import { InputError, showValue } from '../src/errors.js';

describe('showValue', () => {
  it('quotes a short value whole, newlines and quotes escaped', () => {
    expect(showValue('3.99')).toBe('"3.99"');
    expect(showValue('a\nb"c')).toBe('"a\\nb\\"c"');
    expect(showValue('x'.repeat(120))).toBe(JSON.stringify('x'.repeat(120)));
  });

  it('cuts a long value to its start and says how long it was', () => {
    const value = `start-${'y'.repeat(102_400)}`;
    expect(showValue(value)).toBe(`"start-${'y'.repeat(54)}"… (102406 characters)`);
  });

  it('counts and cuts by characters, never inside a surrogate pair', () => {
    const shown = showValue('🦀'.repeat(200));
    expect(shown).toBe(`"${'🦀'.repeat(60)}"… (200 characters)`);
  });
});

describe('InputError', () => {
  it('names the input, shows the shortened value and ends with the fix', () => {
    const error = new InputError('cache-key', 'k'.repeat(100_000), 'is too long', 'Use a shorter key.');
    expect(error.message).toBe(
      `Input 'cache-key' is too long: got "${'k'.repeat(60)}"… (100000 characters). Use a shorter key.`,
    );
    expect(error.value).toHaveLength(100_000);
  });
});
