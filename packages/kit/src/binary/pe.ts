/**
 * The names a PE image (a `.pyd`, a DLL) exports: its export directory's name table, which is what
 * `GetProcAddress` looks names up in. PE32 and PE32+ (x86, x64, arm64).
 */
import { type Bytes, OutOfRange } from './bytes.js';
import type { BinarySlice } from './exports.js';

const PE32 = 0x10b;
const PE32_PLUS = 0x20b;

const MACHINES: Record<number, string> = {
  332: 'x86',
  34404: 'x86_64',
  43620: 'arm64',
  452: 'arm',
};

interface SectionHeader {
  virtualAddress: number;
  virtualSize: number;
  rawSize: number;
  rawOffset: number;
}

function sections(bytes: Bytes, coff: number): SectionHeader[] {
  const count = bytes.u16(coff + 2);
  const optionalSize = bytes.u16(coff + 16);
  const table = coff + 20 + optionalSize;
  return Array.from({ length: count }, (_, i) => {
    const at = table + i * 40;
    return {
      virtualSize: bytes.u32(at + 8),
      virtualAddress: bytes.u32(at + 12),
      rawSize: bytes.u32(at + 16),
      rawOffset: bytes.u32(at + 20),
    };
  });
}

/** The file offset of a relative virtual address, through the section that maps it. */
function fileOffset(table: readonly SectionHeader[], rva: number): number {
  const section = table.find(
    (s) => rva >= s.virtualAddress && rva < s.virtualAddress + Math.max(s.virtualSize, s.rawSize),
  );
  if (!section) throw new OutOfRange(`RVA ${rva} is in no section`);
  return rva - section.virtualAddress + section.rawOffset;
}

/** `bytes` starts with `MZ` (little-endian). */
export function peExports(bytes: Bytes): BinarySlice {
  const signature = bytes.u32(0x3c);
  if (bytes.u32(signature) !== 0x00004550) throw new OutOfRange('no PE signature');
  const coff = signature + 4;
  const machine = bytes.u16(coff);
  const optional = coff + 20;
  const magic = bytes.u16(optional);
  if (magic !== PE32 && magic !== PE32_PLUS) throw new OutOfRange(`optional header magic ${magic}`);
  const directories = optional + (magic === PE32 ? 96 : 112);
  const directoryCount = bytes.u32(optional + (magic === PE32 ? 92 : 108));
  const exports = new Set<string>();
  const exportRva = directoryCount > 0 ? bytes.u32(directories) : 0;
  if (exportRva !== 0) {
    const table = sections(bytes, coff);
    const directory = fileOffset(table, exportRva);
    const count = bytes.u32(directory + 24);
    const namesAt = count > 0 ? fileOffset(table, bytes.u32(directory + 32)) : 0;
    for (let i = 0; i < count; i++) {
      exports.add(bytes.cstring(fileOffset(table, bytes.u32(namesAt + i * 4))));
    }
  }
  return { arch: MACHINES[machine] ?? `machine 0x${machine.toString(16)}`, exports };
}
