/**
 * The symbols a Mach-O image exports: its export trie (`LC_DYLD_INFO(_ONLY)` or
 * `LC_DYLD_EXPORTS_TRIE`), which is what dyld looks names up in, else the external defined
 * entries of its symbol table. Names lose the C leading underscore (`_PyInit_x` → `PyInit_x`).
 * A fat (universal2) file is one slice per architecture, each read on its own.
 */
import { Bytes } from './bytes.js';
import type { BinarySlice } from './exports.js';

const LC_SYMTAB = 0x2;
const LC_DYLD_INFO = 0x22;
const LC_DYLD_INFO_ONLY = 0x80000022;
const LC_DYLD_EXPORTS_TRIE = 0x80000033;
const N_STAB = 0xe0;
const N_PEXT = 0x10;
const N_TYPE = 0x0e;
const N_SECT = 0x0e;
const N_EXT = 0x01;

const CPU_TYPES: Record<number, string> = {
  7: 'x86',
  16777223: 'x86_64',
  12: 'arm',
  16777228: 'arm64',
  33554444: 'arm64_32',
  18: 'ppc',
  16777234: 'ppc64',
};

export const MH_MAGIC = 0xfeedface;
export const MH_MAGIC_64 = 0xfeedfacf;
export const FAT_MAGIC = 0xcafebabe;
export const FAT_MAGIC_64 = 0xcafebabf;

function withoutUnderscore(name: string): string {
  return name.startsWith('_') ? name.slice(1) : name;
}

/** Every terminal node of the export trie at [start, start + size), by its full name. */
function trieNames(bytes: Bytes, start: number, size: number): Set<string> {
  const names = new Set<string>();
  const visited = new Set<number>();
  const stack: { offset: number; prefix: string }[] = [{ offset: 0, prefix: '' }];
  while (stack.length > 0) {
    const { offset, prefix } = stack.pop()!;
    // A malformed trie can point back at a node already read: read each node once.
    if (visited.has(offset) || offset >= size) continue;
    visited.add(offset);
    const terminal = bytes.uleb128(start + offset);
    if (terminal.value > 0) names.add(withoutUnderscore(prefix));
    let at = terminal.next + terminal.value;
    const children = bytes.u8(at++);
    for (let i = 0; i < children; i++) {
      const edge = bytes.cstring(at, start + size);
      at += Buffer.byteLength(edge, 'latin1') + 1;
      const child = bytes.uleb128(at);
      at = child.next;
      stack.push({ offset: child.value, prefix: prefix + edge });
    }
  }
  return names;
}

function symtabNames(bytes: Bytes, is64: boolean, command: number): Set<string> {
  const symoff = bytes.u32(command + 8);
  const nsyms = bytes.u32(command + 12);
  const stroff = bytes.u32(command + 16);
  const strsize = bytes.u32(command + 20);
  const size = is64 ? 16 : 12;
  const names = new Set<string>();
  for (let i = 0; i < nsyms; i++) {
    const at = symoff + i * size;
    const type = bytes.u8(at + 4);
    const exported =
      (type & N_STAB) === 0 && (type & N_PEXT) === 0 && (type & N_EXT) !== 0 && (type & N_TYPE) === N_SECT;
    if (exported) names.add(withoutUnderscore(bytes.cstring(stroff + bytes.u32(at), stroff + strsize)));
  }
  return names;
}

/** One thin Mach-O image; `bytes` starts at its header, in its byte order. */
export function machoExports(bytes: Bytes): BinarySlice {
  const is64 = bytes.u32(0) === MH_MAGIC_64;
  const cpu = bytes.u32(4);
  const ncmds = bytes.u32(16);
  let command = is64 ? 32 : 28;
  let trie: { offset: number; size: number } | undefined;
  let symtab: number | undefined;
  for (let i = 0; i < ncmds; i++) {
    const cmd = bytes.u32(command);
    if (cmd === LC_DYLD_INFO || cmd === LC_DYLD_INFO_ONLY) {
      const size = bytes.u32(command + 44);
      if (size > 0) trie = { offset: bytes.u32(command + 40), size };
    } else if (cmd === LC_DYLD_EXPORTS_TRIE) {
      trie = { offset: bytes.u32(command + 8), size: bytes.u32(command + 12) };
    } else if (cmd === LC_SYMTAB) {
      symtab = command;
    }
    command += bytes.u32(command + 4);
  }
  const exports = trie
    ? trieNames(bytes, trie.offset, trie.size)
    : symtab !== undefined
      ? symtabNames(bytes, is64, symtab)
      : new Set<string>();
  return { arch: CPU_TYPES[cpu] ?? `cputype ${cpu}`, exports };
}

/** The thin images of a fat file (always big-endian headers), each in its own byte order. */
export function fatSlices(bytes: Bytes): Bytes[] {
  const is64 = bytes.u32(0) === FAT_MAGIC_64;
  const count = bytes.u32(4);
  const slices: Bytes[] = [];
  for (let i = 0; i < count; i++) {
    const at = 8 + i * (is64 ? 32 : 20);
    const offset = is64 ? bytes.u64(at + 8) : bytes.u32(at + 8);
    const size = is64 ? bytes.u64(at + 16) : bytes.u32(at + 12);
    const slice = bytes.slice(offset, size, true);
    // Every slice Apple's tools write is little-endian; read the magic to be sure.
    const littleEndian = slice.u32(0) === MH_MAGIC || slice.u32(0) === MH_MAGIC_64;
    slices.push(new Bytes(slice.buffer, littleEndian));
  }
  return slices;
}
