/**
 * What a test needs to know of an ELF file (an extension module inside a wheel): the machine it
 * was built for (e_machine), its program interpreter (PT_INTERP) and the shared libraries it needs
 * (DT_NEEDED). A musl extension needs `libc.so`, a glibc one `libc.so.6`: that tells which C
 * library a wheel was linked against without running it. 32- and 64-bit, either byte order.
 */

export interface ElfFacts {
  bits: 32 | 64;
  littleEndian: boolean;
  /** e_machine (EM_X86_64 = 62, EM_AARCH64 = 183, …). */
  machine: number;
  /** PT_INTERP, when there is one (executables; shared objects have none). */
  interpreter: string | undefined;
  /** DT_NEEDED entries, in order. */
  needed: string[];
}

interface Reader {
  bits: 32 | 64;
  little: boolean;
  u16(at: number): number;
  u32(at: number): number;
  /** A word: 4 bytes for 32-bit, 8 for 64-bit (as a number: offsets fit). */
  word(at: number): number;
}

function reader(buf: Buffer): Reader {
  if (buf.length < 52 || buf.readUInt32BE(0) !== 0x7f454c46) throw new Error('not an ELF file');
  const bits = buf[4] === 2 ? 64 : 32;
  const little = buf[5] === 1;
  const u16 = (at: number) => (little ? buf.readUInt16LE(at) : buf.readUInt16BE(at));
  const u32 = (at: number) => (little ? buf.readUInt32LE(at) : buf.readUInt32BE(at));
  const u64 = (at: number) => Number(little ? buf.readBigUInt64LE(at) : buf.readBigUInt64BE(at));
  return { bits, little, u16, u32, word: bits === 64 ? u64 : u32 };
}

interface Segment {
  type: number;
  offset: number;
  vaddr: number;
  filesz: number;
}

function segments(r: Reader): Segment[] {
  const phoff = r.word(r.bits === 64 ? 32 : 28);
  const size = r.u16(r.bits === 64 ? 54 : 42);
  const count = r.u16(r.bits === 64 ? 56 : 44);
  return Array.from({ length: count }, (_, i) => {
    const at = phoff + i * size;
    return r.bits === 64
      ? { type: r.u32(at), offset: r.word(at + 8), vaddr: r.word(at + 16), filesz: r.word(at + 32) }
      : { type: r.u32(at), offset: r.word(at + 4), vaddr: r.word(at + 8), filesz: r.word(at + 16) };
  });
}

const PT_LOAD = 1;
const PT_DYNAMIC = 2;
const PT_INTERP = 3;
const DT_NEEDED = 1;
const DT_STRTAB = 5;

function cString(buf: Buffer, at: number): string {
  const end = buf.indexOf(0, at);
  return buf.toString('latin1', at, end < 0 ? buf.length : end);
}

/** The DT_NEEDED names of the dynamic segment. */
function neededOf(buf: Buffer, r: Reader, all: Segment[]): string[] {
  const dynamic = all.find((s) => s.type === PT_DYNAMIC);
  if (dynamic === undefined) return [];
  const entry = r.bits === 64 ? 16 : 8;
  const offsets: number[] = [];
  let strtab: number | undefined;
  for (let at = dynamic.offset; at + entry <= dynamic.offset + dynamic.filesz; at += entry) {
    const tag = r.word(at);
    const value = r.word(at + entry / 2);
    if (tag === 0) break;
    if (tag === DT_NEEDED) offsets.push(value);
    if (tag === DT_STRTAB) strtab = value;
  }
  if (strtab === undefined) return [];
  const address = strtab;
  const load = all.find((s) => s.type === PT_LOAD && s.vaddr <= address && address < s.vaddr + s.filesz);
  if (load === undefined) throw new Error('DT_STRTAB is outside every loaded segment');
  const base = address - load.vaddr + load.offset;
  return offsets.map((o) => cString(buf, base + o));
}

/** Reads an ELF file's machine, interpreter and needed libraries. */
export function readElf(buf: Buffer): ElfFacts {
  const r = reader(buf);
  const all = segments(r);
  const interp = all.find((s) => s.type === PT_INTERP);
  return {
    bits: r.bits,
    littleEndian: r.little,
    machine: r.u16(18),
    interpreter: interp ? cString(buf, interp.offset) : undefined,
    needed: neededOf(buf, r, all),
  };
}

/** The C library an ELF file links against, from its DT_NEEDED (or interpreter). */
export function libcOf(facts: ElfFacts): 'glibc' | 'musl' | 'unknown' {
  if (facts.needed.some((n) => /^libc\.so\.6$/.test(n)) || /ld-linux/.test(facts.interpreter ?? ''))
    return 'glibc';
  if (
    facts.needed.some((n) => n === 'libc.so' || /^libc\.musl-/.test(n)) ||
    /ld-musl/.test(facts.interpreter ?? '')
  ) {
    return 'musl';
  }
  return 'unknown';
}
