/**
 * Bounds-checked reads of a binary held in memory, in either byte order. A read past the end (a
 * truncated file, or an offset a malformed header points at) throws {@link OutOfRange}, which the
 * format readers turn into a `Result` problem at their one entry point: a broken extension module
 * is a finding, never a crash of the action.
 */

/** A read outside the buffer; caught by the format readers, never seen by their callers. */
export class OutOfRange extends Error {
  override name = 'OutOfRange';
}

export class Bytes {
  constructor(
    readonly buffer: Buffer,
    readonly littleEndian: boolean,
  ) {}

  private check(offset: number, length: number): void {
    if (!Number.isSafeInteger(offset) || offset < 0 || offset + length > this.buffer.length) {
      throw new OutOfRange(`read of ${length} byte(s) at ${offset} outside ${this.buffer.length}`);
    }
  }

  u8(offset: number): number {
    this.check(offset, 1);
    return this.buffer.readUInt8(offset);
  }

  u16(offset: number): number {
    this.check(offset, 2);
    return this.littleEndian ? this.buffer.readUInt16LE(offset) : this.buffer.readUInt16BE(offset);
  }

  u32(offset: number): number {
    this.check(offset, 4);
    return this.littleEndian ? this.buffer.readUInt32LE(offset) : this.buffer.readUInt32BE(offset);
  }

  /** A 64-bit field as a number; offsets and sizes beyond 2^53 cannot be in a file read into memory. */
  u64(offset: number): number {
    this.check(offset, 8);
    const value = this.littleEndian
      ? this.buffer.readBigUInt64LE(offset)
      : this.buffer.readBigUInt64BE(offset);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new OutOfRange(`64-bit value ${value} at ${offset}`);
    return Number(value);
  }

  /** A NUL-terminated string starting at `offset` (bounded by `end`, default the buffer's end). */
  cstring(offset: number, end = this.buffer.length): string {
    this.check(offset, 0);
    const limit = Math.min(end, this.buffer.length);
    const nul = this.buffer.indexOf(0, offset);
    if (nul === -1 || nul >= limit) throw new OutOfRange(`unterminated string at ${offset}`);
    return this.buffer.toString('latin1', offset, nul);
  }

  /** An unsigned LEB128 number at `offset`, and the offset after it. */
  uleb128(offset: number): { value: number; next: number } {
    let value = 0;
    let shift = 0;
    let at = offset;
    for (;;) {
      const byte = this.u8(at++);
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) break;
      shift += 7;
      if (shift > 49) throw new OutOfRange(`LEB128 number too long at ${offset}`);
    }
    return { value, next: at };
  }

  /** A sub-range as its own reader (a fat Mach-O's slice), in the same byte order. */
  slice(offset: number, length: number, littleEndian = this.littleEndian): Bytes {
    this.check(offset, length);
    return new Bytes(this.buffer.subarray(offset, offset + length), littleEndian);
  }
}
