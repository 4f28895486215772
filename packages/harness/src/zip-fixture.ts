/**
 * A minimal zip (stored entries, no CRC: kit's reader does not check it) as a wheel stand-in for
 * unit tests: its names, and what each holds (empty unless given).
 */
import { writeFileSync } from 'node:fs';

/** The archive's bytes. */
export function zipBytes(entries: readonly string[] | Record<string, string | Buffer>): Buffer {
  const items = Array.isArray(entries)
    ? entries.map((name): [string, Buffer] => [name, Buffer.alloc(0)])
    : Object.entries(entries).map(([name, data]): [string, Buffer] => [name, Buffer.from(data)]);
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of items) {
    const nameBytes = Buffer.from(name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    locals.push(local, nameBytes, data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
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
  end.writeUInt16LE(items.length, 8);
  end.writeUInt16LE(items.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** Writes {@link zipBytes} to `file`. */
export function writeZip(file: string, entries: readonly string[] | Record<string, string | Buffer>): void {
  writeFileSync(file, zipBytes(entries));
}
