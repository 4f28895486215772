/**
 * The ELF reader the leg tests assert wheels with: real binaries of this machine, and small ELF
 * files written here for the layouts this machine has none of (32-bit, big-endian).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { libcOf, readElf } from '../../src/elf.js';

/** A minimal ELF: header, PT_LOAD + PT_DYNAMIC (+ PT_INTERP), a dynamic section and its strings. */
function writeElf(options: {
  bits: 32 | 64;
  little: boolean;
  machine: number;
  interp?: string;
  needed: string[];
}): Buffer {
  const { bits, little } = options;
  const word = bits / 8;
  const ehsize = bits === 64 ? 64 : 52;
  const phentsize = bits === 64 ? 56 : 32;
  const phnum = options.interp ? 3 : 2;
  const interp = options.interp ? `${options.interp}\0` : '';
  const strings = Buffer.from(`\0${interp}${options.needed.join('\0')}\0`, 'latin1');
  const stroff = ehsize + phentsize * phnum;
  const dynoff = stroff + strings.length + ((8 - ((stroff + strings.length) % 8)) % 8);
  const dynamic = [
    ...options.needed.map(() => [1, 0] as const),
    [5, 0x1000 + stroff] as const,
    [0, 0] as const,
  ];
  const size = dynoff + dynamic.length * word * 2;
  const buf = Buffer.alloc(size);
  const u16 = (at: number, v: number) => (little ? buf.writeUInt16LE(v, at) : buf.writeUInt16BE(v, at));
  const u32 = (at: number, v: number) => (little ? buf.writeUInt32LE(v, at) : buf.writeUInt32BE(v, at));
  const w = (at: number, v: number) =>
    bits === 64
      ? little
        ? buf.writeBigUInt64LE(BigInt(v), at)
        : buf.writeBigUInt64BE(BigInt(v), at)
      : u32(at, v);
  buf.writeUInt32BE(0x7f454c46, 0);
  buf[4] = bits === 64 ? 2 : 1;
  buf[5] = little ? 1 : 2;
  u16(18, options.machine);
  w(bits === 64 ? 32 : 28, ehsize);
  u16(bits === 64 ? 54 : 42, phentsize);
  u16(bits === 64 ? 56 : 44, phnum);
  const phdr = (i: number, type: number, offset: number, vaddr: number, filesz: number) => {
    const at = ehsize + i * phentsize;
    u32(at, type);
    if (bits === 64) {
      w(at + 8, offset);
      w(at + 16, vaddr);
      w(at + 32, filesz);
    } else {
      w(at + 4, offset);
      w(at + 8, vaddr);
      w(at + 16, filesz);
    }
  };
  phdr(0, 1, 0, 0x1000, size);
  phdr(1, 2, dynoff, 0x1000 + dynoff, dynamic.length * word * 2);
  if (options.interp) phdr(2, 3, stroff + 1, 0x1000 + stroff + 1, options.interp.length + 1);
  strings.copy(buf, stroff);
  let name = 1 + (options.interp ? options.interp.length + 1 : 0);
  dynamic.forEach(([tag, value], i) => {
    w(dynoff + i * word * 2, tag);
    w(dynoff + i * word * 2 + word, tag === 1 ? name : value);
    if (tag === 1) name += options.needed[i]!.length + 1;
  });
  return buf;
}

describe('readElf', () => {
  it("reads this machine's own binaries: x86-64, the glibc loader, libc.so.6", () => {
    const ls = readElf(readFileSync('/bin/ls'));
    expect(ls).toMatchObject({ bits: 64, littleEndian: true, machine: 62 });
    expect(ls.interpreter).toMatch(/ld-linux-x86-64\.so\.2$/);
    expect(ls.needed).toContain('libc.so.6');
    expect(libcOf(ls)).toBe('glibc');
  });

  it('reads a 32-bit big-endian file and a musl extension', () => {
    const s390 = readElf(
      writeElf({
        bits: 32,
        little: false,
        machine: 22,
        interp: '/lib/ld.so.1',
        needed: ['libm.so.6', 'libc.so.6'],
      }),
    );
    expect(s390).toEqual({
      bits: 32,
      littleEndian: false,
      machine: 22,
      interpreter: '/lib/ld.so.1',
      needed: ['libm.so.6', 'libc.so.6'],
    });
    const musl = readElf(writeElf({ bits: 64, little: true, machine: 183, needed: ['libc.so'] }));
    expect(musl).toMatchObject({ machine: 183, interpreter: undefined, needed: ['libc.so'] });
    expect(libcOf(musl)).toBe('musl');
    expect(libcOf(readElf(writeElf({ bits: 64, little: false, machine: 22, needed: [] })))).toBe('unknown');
  });

  it('refuses what is not ELF', () => {
    expect(() => readElf(Buffer.alloc(64))).toThrow('not an ELF file');
  });
});
