/**
 * The rustc matcher taken off while build annotates the compiler itself, and put back after:
 * only when setup-rust said where it is, and never by echoing a value that is not a matcher file.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { registeredRustMatcher, withoutRustcMatcher } from '../src/rust-matcher.js';

function matcherFile(): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'rust-matcher-')), 'rust.json');
  writeFileSync(file, '{"problemMatcher": []}');
  return file;
}

describe('withoutRustcMatcher', () => {
  it('takes the rustc matcher off for the work and puts the file back after', async () => {
    const file = matcherFile();
    const log: string[] = [];
    const told = await withoutRustcMatcher(
      { FERROWHEEL_RUST_MATCHER: file },
      (l) => log.push(l),
      async (off) => {
        log.push('work');
        return off;
      },
    );
    expect(told).toBe(true);
    expect(log).toEqual(['::remove-matcher owner=ferrowheel-rustc::', 'work', `::add-matcher::${file}`]);
  });

  it('puts it back when the work fails', async () => {
    const file = matcherFile();
    const log: string[] = [];
    await expect(
      withoutRustcMatcher(
        { FERROWHEEL_RUST_MATCHER: file },
        (l) => log.push(l),
        async () => {
          throw new Error('maturin crashed');
        },
      ),
    ).rejects.toThrow('maturin crashed');
    expect(log.at(-1)).toBe(`::add-matcher::${file}`);
  });

  it('leaves the matchers alone when none was registered', async () => {
    const log: string[] = [];
    expect(
      await withoutRustcMatcher(
        {},
        (l) => log.push(l),
        async (off) => off,
      ),
    ).toBe(false);
    expect(log).toEqual([]);
  });

  it('takes only a single-line absolute path of an existing .json file', () => {
    const file = matcherFile();
    expect(registeredRustMatcher({ FERROWHEEL_RUST_MATCHER: file })).toBe(file);
    for (const bad of [
      `${file}\n::set-output name=x::y`,
      'rust.json',
      path.join(path.dirname(file), 'missing.json'),
      path.dirname(file),
      '',
    ]) {
      expect(registeredRustMatcher({ FERROWHEEL_RUST_MATCHER: bad })).toBeUndefined();
    }
  });
});
