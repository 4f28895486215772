/**
 * What a compiled extension module exports, read from its bytes whatever the OS it was built for:
 * ELF (Linux), Mach-O thin or fat (macOS), PE (Windows). Plain TypeScript, no `nm`/`objdump`/
 * `dumpbin`, so a wheel for any platform is checked on any runner. The audit asks it whether an
 * extension exports `PyInit_<module>`, the function Python calls to import it.
 */

import { fail, ok, type Result } from '../result.js';
import { Bytes, OutOfRange } from './bytes.js';
import { elfExports } from './elf.js';
import { FAT_MAGIC, FAT_MAGIC_64, fatSlices, MH_MAGIC, MH_MAGIC_64, machoExports } from './macho.js';
import { peExports } from './pe.js';

export type BinaryFormat = 'elf' | 'mach-o' | 'pe';

/** One architecture's image: a thin binary has one, a fat (universal2) Mach-O one per arch. */
export interface BinarySlice {
  arch: string;
  /** Exported symbol names, without Mach-O's leading underscore. */
  exports: Set<string>;
}

export interface BinaryExports {
  format: BinaryFormat;
  slices: BinarySlice[];
}

/** The format by its magic number, or undefined for anything else. */
export function binaryFormat(buffer: Buffer): BinaryFormat | undefined {
  if (buffer.length < 4) return undefined;
  if (buffer.readUInt32BE(0) === 0x7f454c46) return 'elf';
  if (buffer.readUInt16LE(0) === 0x5a4d) return 'pe';
  const le = buffer.readUInt32LE(0);
  const be = buffer.readUInt32BE(0);
  if ([MH_MAGIC, MH_MAGIC_64].includes(le) || [MH_MAGIC, MH_MAGIC_64].includes(be)) return 'mach-o';
  if (be === FAT_MAGIC || be === FAT_MAGIC_64) return 'mach-o';
  return undefined;
}

function read(format: BinaryFormat, buffer: Buffer): BinarySlice[] {
  if (format === 'elf') return [elfExports(new Bytes(buffer, buffer[5] !== 2))];
  if (format === 'pe') return [peExports(new Bytes(buffer, true))];
  const be = buffer.readUInt32BE(0);
  if (be === FAT_MAGIC || be === FAT_MAGIC_64) return fatSlices(new Bytes(buffer, false)).map(machoExports);
  const littleEndian = [MH_MAGIC, MH_MAGIC_64].includes(buffer.readUInt32LE(0));
  return [machoExports(new Bytes(buffer, littleEndian))];
}

/** The exported symbols of an extension module's bytes; a problem when it is not one it can read. */
export function binaryExports(buffer: Buffer): Result<BinaryExports> {
  const format = binaryFormat(buffer);
  if (format === undefined) return fail('is not an ELF, Mach-O or PE binary');
  try {
    return ok({ format, slices: read(format, buffer) });
  } catch (thrown) {
    if (thrown instanceof OutOfRange)
      return fail(`is a truncated or malformed ${format} file (${thrown.message})`);
    throw thrown;
  }
}
