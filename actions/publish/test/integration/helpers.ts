/** Workspaces with packages to publish, for the bundle-level tests of publish. */
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildExampleWheel } from '@ferrowheel/harness/example-wheel';
import { rewriteWheel, writePythonZip } from '@ferrowheel/harness/python-archives';
import type { ActionRun } from '@ferrowheel/harness/run-action';
import { freshDir } from '@ferrowheel/harness/workdirs';
import { zipEntryNames } from '@ferrowheel/kit/zip';

/** The setup example's real wheel and sdist (built once per source digest). */
export function setupPackages(): string[] {
  const built = buildExampleWheel('setup', { sdist: true });
  if (!built.sdist) throw new Error('maturin built no sdist');
  return [built.wheel, built.sdist];
}

/** A fresh workspace whose `dist/` holds copies of `files` (renamed where `names` says). */
export function workspaceWith(files: readonly string[], names: Record<string, string> = {}): string {
  const workspace = freshDir('publish-ws');
  const dist = path.join(workspace, 'dist');
  mkdirSync(dist, { recursive: true });
  for (const file of files) {
    const base = path.basename(file);
    copyFileSync(file, path.join(dist, names[base] ?? base));
  }
  return workspace;
}

/**
 * The wheel as another build writes it: same name, other bytes. maturin 1.16 writes a CycloneDX
 * SBOM with a random serial number into every wheel; the copy's gets a new one.
 */
export function rebuild(wheel: string): string {
  const copy = path.join(freshDir('publish-rebuilt'), path.basename(wheel));
  const serial = `urn:uuid:${randomUUID()}`;
  const names = zipEntryNames(wheel);
  const distInfo = names.find((n) => n.endsWith('.dist-info/WHEEL'))!.replace(/\/WHEEL$/, '');
  rewriteWheel(
    wheel,
    copy,
    names.some((n) => n.includes('/sboms/'))
      ? { substitute: [{ in: '/sboms/', pattern: 'urn:uuid:', repl: `${serial}-was-` }] }
      : { add: { [`${distInfo}/sboms/setup.cyclonedx.json`]: JSON.stringify({ serialNumber: serial }) } },
  );
  return copy;
}

/** Writes a minimal pure-Python wheel with the given METADATA name/version (via Python's zipfile). */
export function fakeWheel(dir: string, filename: string, name: string, version: string): string {
  const file = path.join(dir, filename);
  const distInfo = `${name}-${version}.dist-info`;
  writePythonZip(file, {
    compression: 'deflated',
    entries: [
      { name: `${name}/__init__.py` },
      { name: `${distInfo}/METADATA`, text: `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n` },
      { name: `${distInfo}/WHEEL`, text: 'Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n' },
      { name: `${distInfo}/RECORD` },
    ],
  });
  return file;
}

/** The JSON list output of a run. */
export function listOutput(
  run: ActionRun,
  name: 'published' | 'skipped',
): { file: string; sha256: string; url?: string }[] {
  return JSON.parse(run.outputs[name] ?? '[]') as { file: string; sha256: string; url?: string }[];
}

/**
 * Everything a run logged, for checking that no secret leaked into it. `::add-mask::` commands
 * are taken out: the runner consumes them (they are how a secret gets masked) and never shows them.
 */
export function everything(run: ActionRun): string {
  const stdout = run.stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
  return `${stdout}\n${run.stderr}\n${run.summary}\n${JSON.stringify(run.outputs)}`;
}

/** The secrets a run asked the runner to mask. */
export function masked(run: ActionRun): string[] {
  return run.stdout
    .split('\n')
    .filter((line) => line.startsWith('::add-mask::'))
    .map((line) => line.slice('::add-mask::'.length));
}

export const read = (file: string) => readFileSync(file, 'utf8');
