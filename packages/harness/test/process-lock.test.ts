/** The lock jest's workers share: the image cache's builds and buildExampleWheel's maturin runs. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { tryLock, unlock, withLock, withLockSync } from '../src/process-lock.js';
import { freshDir } from '../src/workdirs.js';

describe('process-lock', () => {
  it('holds the lock with its pid while the work runs, and frees it after, also when the work throws', () => {
    const lock = path.join(freshDir('lock'), 'target.lock');
    const seen = withLockSync(lock, () => readFileSync(path.join(lock, 'pid'), 'utf8'));
    expect(seen).toBe(String(process.pid));
    expect(existsSync(lock)).toBe(false);
    expect(() =>
      withLockSync(lock, () => {
        throw new Error('maturin failed');
      }),
    ).toThrow('maturin failed');
    expect(existsSync(lock)).toBe(false);
  });

  it('is refused while a live process holds it', () => {
    const lock = path.join(freshDir('lock'), 'target.lock');
    mkdirSync(lock);
    writeFileSync(path.join(lock, 'pid'), String(process.ppid));
    expect(tryLock(lock)).toBe(false);
    expect(existsSync(lock)).toBe(true);
    unlock(lock);
    expect(tryLock(lock)).toBe(true);
    unlock(lock);
  });

  it('takes over a lock whose holder died (a test process killed mid-build)', () => {
    const lock = path.join(freshDir('lock'), 'target.lock');
    // A pid that existed and is gone: a child that has exited.
    const dead = execFileSync(process.execPath, ['--print', 'process.pid'], { encoding: 'utf8' }).trim();
    mkdirSync(lock);
    writeFileSync(path.join(lock, 'pid'), dead);
    expect(withLockSync(lock, () => 'ran')).toBe('ran');
    expect(existsSync(lock)).toBe(false);
  });

  it('runs async bodies one at a time, also two of this process (two builds in one Promise.all)', async () => {
    const lock = path.join(freshDir('lock'), 'target.lock');
    const events: string[] = [];
    const body = (id: string) => async () => {
      events.push(`${id} in`);
      await new Promise((r) => setTimeout(r, 50));
      events.push(`${id} out`);
    };
    await Promise.all([withLock(lock, body('a'), 10), withLock(lock, body('b'), 10)]);
    expect(events).toEqual(['a in', 'a out', 'b in', 'b out']);
    expect(existsSync(lock)).toBe(false);
  });

  it('refuses to wait synchronously for a lock this process holds (it would never be released)', async () => {
    const lock = path.join(freshDir('lock'), 'target.lock');
    await withLock(lock, async () => {
      expect(() => withLockSync(lock, () => 'never')).toThrow(`${lock} is held by this process already`);
    });
  });
});
