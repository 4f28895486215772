/**
 * What a built wheel really is, read from its bytes: its tags (file name), and for each extension
 * module the ELF machine and the C library it links against. Tests assert these instead of
 * trusting the name maturin gave the file.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseWheelFilename } from '@ferrowheel/kit/wheel';
import { extensionModules } from '@ferrowheel/kit/wheel-contents';
import { listZipEntries, readZipEntry } from '@ferrowheel/kit/zip';
import { type ElfFacts, libcOf, readElf } from './elf.js';

export interface WheelInspection {
  filename: string;
  pythonTags: string[];
  abiTags: string[];
  platformTags: string[];
  /** Every extension module with its ELF facts and C library. */
  extensions: { entry: string; elf: ElfFacts; libc: ReturnType<typeof libcOf> }[];
}

export function inspectWheel(file: string): WheelInspection {
  const name = parseWheelFilename(path.basename(file));
  if (!name.ok) throw new Error(`${path.basename(file)} ${name.problem}`);
  const bytes = readFileSync(file);
  const entries = listZipEntries(bytes);
  const modules = new Set(extensionModules(entries.map((e) => e.name)).map((m) => m.entry));
  const extensions = entries
    .filter((e) => modules.has(e.name))
    .map((e) => {
      const elf = readElf(readZipEntry(bytes, e));
      return { entry: e.name, elf, libc: libcOf(elf) };
    });
  return {
    filename: name.value.filename,
    pythonTags: name.value.pythonTags,
    abiTags: name.value.abiTags,
    platformTags: name.value.platformTags,
    extensions,
  };
}
