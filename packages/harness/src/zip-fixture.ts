/**
 * A small zip (stored entries) as a wheel stand-in: `names` alone (empty files), or name →
 * contents. A real zip: CRC-32s and sizes recorded, so unzip, Python's zipfile and kit's zip
 * reader all read it.
 */
import { writeFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';

/** The archive's bytes. */
export function zipBytes(entries: readonly string[] | Record<string, string | Buffer>): Buffer {
  const members: [string, Buffer][] = Array.isArray(entries)
    ? entries.map((name) => [name, Buffer.alloc(0)])
    : Object.entries(entries).map(([name, data]) => [name, Buffer.from(data)]);
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of members) {
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    locals.push(local, nameBytes, data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(members.length, 8);
  end.writeUInt16LE(members.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** Writes {@link zipBytes} to `file`. */
export function writeZip(file: string, entries: readonly string[] | Record<string, string | Buffer>): void {
  writeFileSync(file, zipBytes(entries));
}
