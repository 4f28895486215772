/**
 * The files to publish: found (a directory or glob patterns), then checked before anything is
 * uploaded — each a valid wheel/sdist file name, not empty, its metadata readable and naming the
 * same project and version as its file name and as every other file, no file twice — and
 * checksummed into SHA256SUMS.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { messageOf, UserError } from '@ferrowheel/kit/errors';
import { danglingLinkTarget, describeFsError, pathKind, sha256 } from '@ferrowheel/kit/files';
import { normaliseVersion } from '@ferrowheel/kit/pep440';
import { normaliseName, parseSdistFilename, parseWheelFilename, type WheelName } from '@ferrowheel/kit/wheel';
import { listZipEntries, readZipEntry, ZipError } from '@ferrowheel/kit/zip';
import { ArchiveError, walkTarGz } from './archive.js';
import { type CoreMetadata, first, parseCoreMetadata } from './core-metadata.js';

export interface Distribution {
  path: string;
  filename: string;
  kind: 'wheel' | 'sdist';
  /** The project name as the metadata writes it. */
  name: string;
  version: string;
  /** The legacy upload API's `pyversion`: the wheel's python tag, or `source`. */
  pyversion: string;
  size: number;
  sha256: string;
  metadata: CoreMetadata;
}

const isPackageName = (f: string) => f.endsWith('.whl') || f.endsWith('.tar.gz');

/** What this action writes next to the packages: SHA256SUMS and the PEP 740 attestations. */
export const isOwnOutput = (f: string) =>
  path.basename(f) === 'SHA256SUMS' || f.endsWith('.publish.attestation');

/** Every wheel and sdist directly in `dir`; other files are returned apart, to be mentioned. */
export function listPackagesDir(dir: string): { files: string[]; ignored: string[] } {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (thrown) {
    if (pathKind(dir) === 'file') {
      throw new UserError(
        `'packages-dir' is ${dir}, which is a file, not a directory. Point 'packages-dir' at the directory holding the wheels, or name files with 'packages' (e.g. dist/*.whl).`,
      );
    }
    throw new UserError(
      `The packages directory ${dir} ${describeFsError(thrown)}. Build first (ferrowheel/ferrowheel/actions/build, or download the build artifacts into it), or point 'packages-dir' at where the wheels are.`,
    );
  }
  for (const f of entries.filter(isPackageName)) {
    const target = danglingLinkTarget(path.join(dir, f));
    if (target !== undefined) {
      throw new UserError(
        `${path.join(dir, f)} is a symbolic link to ${target}, which does not exist. Nothing was uploaded. Remove the link or make it point at the built file (was the artifact downloaded completely?).`,
      );
    }
  }
  const files = entries.filter((f) => isPackageName(f) && pathKind(path.join(dir, f)) === 'file').sort();
  const ignored = entries.filter((f) => !files.includes(f) && !isOwnOutput(f)).sort();
  return { files: files.map((f) => path.join(dir, f)), ignored };
}

function globRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') {
      // `**/` matches any number of directories, including none.
      out += pattern[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += pattern[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

function walk(dir: string, prefix: string): string[] {
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) =>
    e.isDirectory()
      ? walk(path.join(dir, e.name), `${prefix}${e.name}/`)
      : e.isFile()
        ? [`${prefix}${e.name}`]
        : [],
  );
}

/** The files matching glob patterns (`*`, `?`, `**`) relative to the workspace, sorted. */
export function globFiles(workspace: string, patterns: readonly string[]): string[] {
  const found = new Set<string>();
  for (const pattern of patterns) {
    const clean = pattern.replace(/^\.\//, '');
    // Walk only below the part of the pattern without wildcards.
    const fixed = clean.split('/');
    const stop = fixed.findIndex((part) => /[*?]/.test(part));
    const baseParts = stop === -1 ? fixed.slice(0, -1) : fixed.slice(0, stop);
    const base = baseParts.join('/');
    const regex = globRegExp(clean);
    for (const rel of walk(path.join(workspace, base), base ? `${base}/` : '')) {
      if (regex.test(rel)) found.add(path.join(workspace, rel));
    }
  }
  return [...found].sort();
}

function readMetadata(file: string, kind: 'wheel' | 'sdist', data: Buffer): CoreMetadata {
  if (kind === 'wheel') {
    const entries = listZipEntries(data).filter((e) => /^[^/]+\.dist-info\/METADATA$/.test(e.name));
    if (entries.length !== 1) {
      throw new ArchiveError(`has ${entries.length} *.dist-info/METADATA files at its top level, not 1`);
    }
    return parseCoreMetadata(readZipEntry(data, entries[0]!).toString('utf8'));
  }
  let text: string | undefined;
  walkTarGz(data, (member) => {
    if (/^[^/]+\/PKG-INFO$/.test(member.name)) text = member.data.toString('utf8');
    return text !== undefined;
  });
  if (text === undefined) throw new ArchiveError(`has no <name>-<version>/PKG-INFO (${path.basename(file)})`);
  return parseCoreMetadata(text);
}

/** Checks one file; returns it, or the problems found with it. */
function inspect(file: string): Distribution | string[] {
  const filename = path.basename(file);
  const kind = filename.endsWith('.whl') ? 'wheel' : filename.endsWith('.tar.gz') ? 'sdist' : undefined;
  if (!kind) return [`${filename} is not a wheel (.whl) or sdist (.tar.gz)`];
  const fromName = kind === 'wheel' ? parseWheelFilename(filename) : parseSdistFilename(filename);
  if (!fromName.ok) return [`${filename} ${fromName.problem}`];
  const parsed = fromName.value;
  const data = readFileSync(file);
  if (data.length === 0) return [`${filename} is empty (0 bytes)`];
  let metadata: CoreMetadata;
  try {
    metadata = readMetadata(file, kind, data);
  } catch (thrown) {
    // A ZipError's problem reads after "the file", like the ArchiveError messages.
    const why = thrown instanceof ZipError ? thrown.problem : messageOf(thrown);
    return [`${filename}: its metadata cannot be read: the file ${why}`];
  }
  const name = first(metadata, 'Name');
  const version = first(metadata, 'Version');
  if (!name || !version || !first(metadata, 'Metadata-Version')) {
    return [`${filename}: its metadata lacks Metadata-Version, Name or Version`];
  }
  const problems: string[] = [];
  if (normaliseName(name) !== normaliseName(parsed.name)) {
    problems.push(`${filename}: its metadata names the project '${name}', its file name '${parsed.name}'`);
  }
  const fileVersion = normaliseVersion(parsed.version.replace(/_/g, '-'));
  if (normaliseVersion(version) === undefined || normaliseVersion(version) !== fileVersion) {
    problems.push(`${filename}: its metadata has version '${version}', its file name '${parsed.version}'`);
  }
  if (problems.length > 0) return problems;
  return {
    path: file,
    filename,
    kind,
    name,
    version,
    pyversion: kind === 'wheel' ? (parsed as WheelName).pythonTags.join('.') : 'source',
    size: data.length,
    sha256: sha256(data),
    metadata,
  };
}

/**
 * Checks every file and that together they are one release of one project; throws one
 * UserError listing every problem.
 */
export function inspectDistributions(files: readonly string[], origin: string): Distribution[] {
  if (files.length === 0) {
    throw new UserError(
      `No wheels or sdists found in ${origin}. Build them first (ferrowheel/ferrowheel/actions/build, or actions/download-artifact into that directory), or point 'packages-dir'/'packages' at them.`,
    );
  }
  const problems: string[] = [];
  const dists: Distribution[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    const filename = path.basename(file);
    const earlier = seen.get(filename);
    if (earlier !== undefined) {
      problems.push(`${filename} is there twice (${earlier} and ${file})`);
      continue;
    }
    seen.set(filename, file);
    const result = inspect(file);
    if (Array.isArray(result)) problems.push(...result);
    else dists.push(result);
  }
  const projects = [...new Set(dists.map((d) => `${normaliseName(d.name)} ${normaliseVersion(d.version)}`))];
  if (projects.length > 1) {
    problems.push(
      `the files are not one release of one project: ${projects.join(', ')} (${dists
        .map((d) => d.filename)
        .join(', ')})`,
    );
  }
  if (problems.length > 0) {
    throw new UserError(
      `Cannot publish: ${problems.length === 1 ? problems[0] : `\n  - ${problems.join('\n  - ')}\n`}. Nothing was uploaded. Publish one project version per step with valid wheel (name-version-python-abi-platform.whl) and sdist (name-version.tar.gz) files as maturin builds them; remove stray or renamed files from the packages directory.`,
    );
  }
  return dists;
}

/** The SHA256SUMS text (`sha256sum` format: hash, two spaces, file name). */
export function checksumsText(dists: readonly Distribution[]): string {
  return dists.map((d) => `${d.sha256}  ${d.filename}\n`).join('');
}

/**
 * Writes SHA256SUMS next to the packages: in their directory when they share one, else in
 * `fallbackDir`. Returns its path.
 */
export function writeChecksums(dists: readonly Distribution[], fallbackDir: string): string {
  const dirs = new Set(dists.map((d) => path.dirname(d.path)));
  const dir = dirs.size === 1 ? [...dirs][0]! : fallbackDir;
  const file = path.join(dir, 'SHA256SUMS');
  writeFileSync(file, checksumsText(dists));
  return file;
}
