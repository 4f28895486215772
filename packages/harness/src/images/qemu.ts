/**
 * Whether this machine runs an architecture's binaries: natively (x86_64, i686 on an x86_64
 * kernel), or through QEMU registered with binfmt_misc the way scripts/ensure-qemu.sh does it
 * (the static emulator, flag F, so containers need no copy of it). A platform that cannot run
 * gets a reason that names the fix, before any container starts and fails with exec format error.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fail, ok, type Result } from '@ferrowheel/kit/result';
import { type ArchNames, archOfPlatform } from './architectures.js';

/** Where the kernel lists registered interpreters (overridable for tests of the reasons). */
export const BINFMT_DIR = '/proc/sys/fs/binfmt_misc';

const fix = (arch: ArchNames) =>
  `Register it with 'bash scripts/ensure-qemu.sh ${arch.qemu}' (as root or with passwordless sudo; scripts/test.sh does this)`;

/** Why QEMU does not run `arch`'s binaries here, or undefined when it does (or none is needed). */
export function qemuProblem(arch: ArchNames, binfmtDir = BINFMT_DIR): string | undefined {
  if (arch.qemu === undefined) return undefined;
  const entry = path.join(binfmtDir, `qemu-${arch.qemu}`);
  let text: string;
  try {
    text = readFileSync(entry, 'utf8');
  } catch {
    const mounted = (() => {
      try {
        readFileSync(path.join(binfmtDir, 'status'), 'utf8');
        return true;
      } catch {
        return false;
      }
    })();
    const why = mounted ? `${entry} does not exist` : `binfmt_misc is not mounted on ${binfmtDir}`;
    return `QEMU is not registered for ${arch.arch} (${arch.dockerPlatform}): ${why}. ${fix(arch)}.`;
  }
  const lines = text.split('\n');
  if (!lines.includes('enabled')) {
    return `QEMU is not registered for ${arch.arch} (${arch.dockerPlatform}): ${entry} is disabled. ${fix(arch)}.`;
  }
  const flags = lines.find((l) => l.startsWith('flags:')) ?? 'flags:';
  if (!flags.slice('flags:'.length).includes('F')) {
    return `QEMU is not registered for ${arch.arch} (${arch.dockerPlatform}) so that containers can use it: ${entry} lacks the F flag (the emulator is then looked up inside each container, which has none). ${fix(arch)}.`;
  }
  return undefined;
}

/** The architecture of a docker platform, when this machine can run it; otherwise why not. */
export function runnablePlatform(platform: string, binfmtDir = BINFMT_DIR): Result<ArchNames> {
  const arch = archOfPlatform(platform);
  if (!arch.ok) return fail(`${arch.problem}. Use one of those, as docker writes them.`);
  const problem = qemuProblem(arch.value, binfmtDir);
  return problem === undefined ? ok(arch.value) : fail(problem);
}
