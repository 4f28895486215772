/**
 * What is inside a wheel: its file list, read from the zip's central directory (no extraction,
 * no zip library), and from that its extension modules (`setup.cpython-311-x86_64-linux-gnu.so`
 * → `setup`, `pkg/_core.cp312-win_amd64.pyd` → `pkg._core`) and top-level import names.
 */
import { open } from 'node:fs/promises';

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL_HEADER = 0x02014b50;

/** The names of every entry of a zip file, in central-directory order. */
export async function listZipEntries(file: string): Promise<string[]> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const tailLength = Math.min(size, 22 + 0xffff);
    const tail = Buffer.alloc(tailLength);
    await handle.read(tail, 0, tailLength, size - tailLength);
    let eocd = -1;
    for (let i = tailLength - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD) {
        eocd = i;
        break;
      }
    }
    if (eocd === -1) throw new Error(`${file} is not a zip file (no end-of-central-directory record)`);
    let entries = tail.readUInt16LE(eocd + 10);
    let cdSize = tail.readUInt32LE(eocd + 12);
    let cdOffset = tail.readUInt32LE(eocd + 16);
    if (cdOffset === 0xffffffff && eocd >= 20 && tail.readUInt32LE(eocd - 20) === ZIP64_LOCATOR) {
      const record = Buffer.alloc(56);
      await handle.read(record, 0, 56, Number(tail.readBigUInt64LE(eocd - 20 + 8)));
      if (record.readUInt32LE(0) !== ZIP64_EOCD) throw new Error(`${file} has a broken zip64 record`);
      entries = Number(record.readBigUInt64LE(32));
      cdSize = Number(record.readBigUInt64LE(40));
      cdOffset = Number(record.readBigUInt64LE(48));
    }
    const cd = Buffer.alloc(cdSize);
    await handle.read(cd, 0, cdSize, cdOffset);
    const names: string[] = [];
    let at = 0;
    for (let n = 0; n < entries && at + 46 <= cd.length; n++) {
      if (cd.readUInt32LE(at) !== CENTRAL_HEADER)
        throw new Error(`${file} has a broken zip central directory`);
      const nameLength = cd.readUInt16LE(at + 28);
      const extraLength = cd.readUInt16LE(at + 30);
      const commentLength = cd.readUInt16LE(at + 32);
      names.push(cd.toString('utf8', at + 46, at + 46 + nameLength));
      at += 46 + nameLength + extraLength + commentLength;
    }
    return names;
  } finally {
    await handle.close();
  }
}

/** The path an entry installs to, relative to site-packages, or undefined for metadata/scripts. */
function installedPath(entry: string): string | undefined {
  if (entry.endsWith('/')) return undefined;
  const [first, ...rest] = entry.split('/');
  if (first === undefined || first.endsWith('.dist-info')) return undefined;
  if (first.endsWith('.data')) {
    const [scheme, ...inside] = rest;
    return scheme === 'purelib' || scheme === 'platlib' ? inside.join('/') : undefined;
  }
  return entry;
}

export interface ExtensionModule {
  /** The entry in the wheel. */
  entry: string;
  /** The dotted import name: `setup`, `pkg._core`. */
  module: string;
}

/**
 * The extension modules among a wheel's entries: `.so`/`.pyd` files that Python imports, not the
 * shared libraries auditwheel/delocate/delvewheel vendor into `*.libs`/`.dylibs` directories.
 */
export function extensionModules(entries: readonly string[]): ExtensionModule[] {
  const modules: ExtensionModule[] = [];
  for (const entry of entries) {
    const installed = installedPath(entry);
    if (!installed || !/\.(so|pyd)$/.test(installed)) continue;
    const parts = installed.split('/');
    const file = parts.pop()!;
    if (parts.some((dir) => dir.endsWith('.libs') || dir === '.dylibs')) continue;
    const name = file.split('.')[0]!;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) continue;
    modules.push({ entry, module: [...parts, name].join('.') });
  }
  return modules;
}

/** The top-level import names a wheel installs (`setup`, `pkg`), from its file list. */
export function topLevelNames(entries: readonly string[]): string[] {
  const names = new Set<string>();
  for (const entry of entries) {
    const installed = installedPath(entry);
    if (!installed) continue;
    const first = installed.split('/')[0]!;
    const name = installed.includes('/') ? first : first.split('.')[0]!;
    if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && (installed.includes('/') || /\.(py|so|pyd)$/.test(first))) {
      names.add(name);
    }
  }
  return [...names].sort();
}
