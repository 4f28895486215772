/**
 * The dynamic symbols an ELF shared object exports (what `dlsym` finds): the defined, global or
 * weak, default- or protected-visibility entries of `.dynsym`. 32- and 64-bit, either byte order
 * (s390x and the big-endian PowerPCs included).
 */
import type { Bytes } from './bytes.js';
import type { BinarySlice } from './exports.js';

const SHT_DYNSYM = 11;
const STB_GLOBAL = 1;
const STB_WEAK = 2;
const STB_GNU_UNIQUE = 10;
const STV_DEFAULT = 0;
const STV_PROTECTED = 3;

const MACHINES: Record<number, string> = {
  3: 'x86',
  8: 'mips',
  20: 'ppc',
  21: 'ppc64',
  22: 's390x',
  40: 'arm',
  62: 'x86_64',
  183: 'aarch64',
  243: 'riscv',
  258: 'loongarch',
};

interface Layout {
  is64: boolean;
  /** Where the section headers start, the size of one, and how many there are. */
  shoff: number;
  shentsize: number;
  shnum: number;
}

interface Section {
  type: number;
  offset: number;
  size: number;
  link: number;
  entsize: number;
}

function layout(bytes: Bytes): Layout {
  const is64 = bytes.u8(4) === 2;
  const shoff = is64 ? bytes.u64(0x28) : bytes.u32(0x20);
  const shentsize = bytes.u16(is64 ? 0x3a : 0x2e);
  let shnum = bytes.u16(is64 ? 0x3c : 0x30);
  // Extended numbering: with 0xff00 or more sections, e_shnum is 0 and section 0 holds the count.
  if (shnum === 0 && shoff !== 0) shnum = is64 ? bytes.u64(shoff + 32) : bytes.u32(shoff + 20);
  return { is64, shoff, shentsize, shnum };
}

function section(bytes: Bytes, l: Layout, index: number): Section {
  const at = l.shoff + index * l.shentsize;
  return l.is64
    ? {
        type: bytes.u32(at + 4),
        offset: bytes.u64(at + 24),
        size: bytes.u64(at + 32),
        link: bytes.u32(at + 40),
        entsize: bytes.u64(at + 56),
      }
    : {
        type: bytes.u32(at + 4),
        offset: bytes.u32(at + 16),
        size: bytes.u32(at + 20),
        link: bytes.u32(at + 24),
        entsize: bytes.u32(at + 36),
      };
}

function isExported(info: number, other: number, shndx: number): boolean {
  const binding = info >> 4;
  const visibility = other & 3;
  return (
    shndx !== 0 &&
    (binding === STB_GLOBAL || binding === STB_WEAK || binding === STB_GNU_UNIQUE) &&
    (visibility === STV_DEFAULT || visibility === STV_PROTECTED)
  );
}

/** Reads `.dynsym`; `bytes` must start with the ELF magic and have the file's byte order. */
export function elfExports(bytes: Bytes): BinarySlice {
  const l = layout(bytes);
  const arch = MACHINES[bytes.u16(18)] ?? `machine ${bytes.u16(18)}`;
  const names = new Set<string>();
  for (let i = 0; i < l.shnum; i++) {
    const dynsym = section(bytes, l, i);
    if (dynsym.type !== SHT_DYNSYM) continue;
    const strtab = section(bytes, l, dynsym.link);
    const size = dynsym.entsize || (l.is64 ? 24 : 16);
    for (let at = dynsym.offset + size; at + size <= dynsym.offset + dynsym.size; at += size) {
      const name = bytes.u32(at);
      const info = bytes.u8(at + (l.is64 ? 4 : 12));
      const other = bytes.u8(at + (l.is64 ? 5 : 13));
      const shndx = bytes.u16(at + (l.is64 ? 6 : 14));
      if (isExported(info, other, shndx)) {
        names.add(bytes.cstring(strtab.offset + name, strtab.offset + strtab.size));
      }
    }
  }
  return { arch, exports: names };
}
