/**
 * Whether a platform can run here: a bad platform and an unregistered QEMU each get a reason that
 * names the cause and the fix (the registrations are read from a binfmt_misc directory written
 * here; the machine's own is checked in the integration tests).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { archNames } from '../../src/images/architectures.js';
import { qemuProblem, runnablePlatform } from '../../src/images/qemu.js';

function binfmt(entries: Record<string, string>, options: { mounted?: boolean } = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'binfmt-'));
  if (options.mounted !== false) writeFileSync(path.join(dir, 'status'), 'enabled\n');
  for (const [name, text] of Object.entries(entries)) writeFileSync(path.join(dir, name), text);
  return dir;
}

const registered = 'enabled\ninterpreter /usr/bin/qemu-aarch64-static\nflags: F\noffset 0\n';
const fix =
  "Register it with 'bash scripts/ensure-qemu.sh aarch64' (as root or with passwordless sudo; scripts/test.sh does this).";

describe('qemuProblem', () => {
  const aarch64 = archNames('aarch64');

  it('none for a registered architecture, nor for one this machine runs natively', () => {
    expect(qemuProblem(aarch64, binfmt({ 'qemu-aarch64': registered }))).toBeUndefined();
    const empty = binfmt({}, { mounted: false });
    expect(qemuProblem(archNames('x86_64'), empty)).toBeUndefined();
    expect(qemuProblem(archNames('i686'), empty)).toBeUndefined();
  });

  it('binfmt_misc not mounted, the architecture not registered, disabled, or without the F flag', () => {
    const unmounted = binfmt({}, { mounted: false });
    expect(qemuProblem(aarch64, unmounted)).toBe(
      `QEMU is not registered for aarch64 (linux/arm64): binfmt_misc is not mounted on ${unmounted}. ${fix}`,
    );
    const none = binfmt({});
    expect(qemuProblem(aarch64, none)).toBe(
      `QEMU is not registered for aarch64 (linux/arm64): ${none}/qemu-aarch64 does not exist. ${fix}`,
    );
    const disabled = binfmt({ 'qemu-aarch64': registered.replace('enabled', 'disabled') });
    expect(qemuProblem(aarch64, disabled)).toBe(
      `QEMU is not registered for aarch64 (linux/arm64): ${disabled}/qemu-aarch64 is disabled. ${fix}`,
    );
    const noF = binfmt({ 'qemu-aarch64': registered.replace('flags: F', 'flags: OC') });
    expect(qemuProblem(aarch64, noF)).toMatch(
      /lacks the F flag .* Register it with 'bash scripts\/ensure-qemu\.sh aarch64'/,
    );
    expect(qemuProblem(archNames('armv7'), none)).toMatch(
      /^QEMU is not registered for armv7 \(linux\/arm\/v7\): .*ensure-qemu\.sh arm'/,
    );
  });
});

describe('runnablePlatform', () => {
  it('a bad platform: the value, the platforms there are and the fix', () => {
    expect(runnablePlatform('linux/mips64le', binfmt({}))).toEqual({
      ok: false,
      problem:
        'the docker platform "linux/mips64le" is not one ferrowheel has images for (linux/amd64, linux/386, linux/arm64, linux/arm/v7, linux/s390x, linux/ppc64le). Use one of those, as docker writes them.',
    });
  });

  it('an unregistered QEMU stops a foreign platform; a registered one passes', () => {
    expect(runnablePlatform('linux/s390x', binfmt({}))).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/^QEMU is not registered for s390x \(linux\/s390x\)/),
    });
    const dir = binfmt({ 'qemu-s390x': registered });
    mkdirSync(path.join(dir, 'sub'));
    expect(runnablePlatform('linux/s390x', dir)).toMatchObject({ ok: true });
  });
});
