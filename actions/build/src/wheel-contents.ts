/**
 * What is inside a built wheel: the file names of its zip central directory (read directly, a
 * wheel is a plain zip), and the check that the extension module is there with the suffix the
 * target's OS loads (`.so` on Linux/macOS, `.pyd` on Windows) — a wheel without it installs fine
 * and then fails at import.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { extensionModuleSuffix, type Os } from '@ferrowheel/kit/platform';

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;

function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  readSync(fd, buffer, 0, length, position);
  return buffer;
}

/** The names of every entry of a zip file, in central-directory order. */
export function zipEntryNames(file: string): string[] {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    // The end-of-central-directory record is in the last 22 + 65535 (comment) bytes.
    const tailLength = Math.min(size, 22 + 0xffff);
    const tail = readAt(fd, size - tailLength, tailLength);
    let eocd = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD_SIGNATURE) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw new Error(`${file} is not a zip file (no end of central directory)`);
    const count = tail.readUInt16LE(eocd + 10);
    const directorySize = tail.readUInt32LE(eocd + 12);
    const directoryOffset = tail.readUInt32LE(eocd + 16);
    const directory = readAt(fd, directoryOffset, directorySize);
    const names: string[] = [];
    let at = 0;
    for (let n = 0; n < count && at + 46 <= directory.length; n++) {
      if (directory.readUInt32LE(at) !== CENTRAL_SIGNATURE) break;
      const nameLength = directory.readUInt16LE(at + 28);
      const extraLength = directory.readUInt16LE(at + 30);
      const commentLength = directory.readUInt16LE(at + 32);
      names.push(directory.toString('utf8', at + 46, at + 46 + nameLength));
      at += 46 + nameLength + extraLength + commentLength;
    }
    return names;
  } finally {
    closeSync(fd);
  }
}

/**
 * The entry that is the extension module `moduleName` (the last segment of the module path) for
 * the OS, e.g. `mixed/_core.cpython-311-x86_64-linux-gnu.so`, `setup.cp312-win_amd64.pyd`,
 * `abi3.abi3.so`; undefined when the wheel has none.
 */
export function findExtensionModule(
  names: readonly string[],
  moduleName: string,
  os: Os,
): string | undefined {
  const suffix = extensionModuleSuffix(os);
  return names.find((name) => {
    const base = name.split('/').at(-1)!;
    return base.startsWith(`${moduleName}.`) && base.endsWith(suffix) && !name.includes('.dist-info/');
  });
}
