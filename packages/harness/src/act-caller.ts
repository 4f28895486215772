/**
 * build-wheels.yml called the way a user's workflow calls it, under act: a caller workflow with
 * the inputs written into a copy of this repository, the locally built stand-ins named through
 * its `build-images` / `test-images` inputs, and what this machine cannot run declared through
 * `not-tested-here`, from the images' own table (images/pythons.ts), so a row that could run is
 * never declared. Used by the act tests and by `npm run matrix -- --act`.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { type ActRun, copyRepository, freePort, runAct, SELF, standInArgs } from './act.js';
import type { LinuxArch } from './images/architectures.js';
import { pythonSource } from './images/pythons.js';
import { fetchedCargoHome } from './linux-legs.js';
import { freshDir, sharedDir } from './workdirs.js';

/** A workflow that calls build-wheels.yml with `inputs` (values as YAML scalars: JSON strings). */
export function callerWorkflow(name: string, inputs: Record<string, string | boolean>): string {
  const lines = Object.entries(inputs).map(([key, value]) => `      ${key}: ${JSON.stringify(value)}`);
  return [
    `name: ${name}`,
    'on: push',
    'permissions: {}',
    'jobs:',
    '  wheels:',
    '    uses: $/.github/workflows/build-wheels.yml',
    '    permissions:',
    '      contents: read',
    '    with:',
    ...lines,
    '',
  ].join('\n');
}

export interface SummaryRow {
  build: string;
  test: string;
  file: string;
}

/** The summary's table by `<platform> <python>` (`sdist` for the sdist's row). */
export function summaryRows(summary: string): Map<string, SummaryRow> {
  const rows = new Map<string, SummaryRow>();
  for (const line of summary.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 10 || cells[1] === 'Platform' || cells[1]?.startsWith('-')) continue;
    rows.set(`${cells[1]} ${cells[3]}`.trim(), { build: cells[4]!, test: cells[5]!, file: cells[6]! });
  }
  return rows;
}

/** `not-tested-here` lines for the CPythons of `arch` no image here has, with the images' reasons. */
export function notTestedHere(arch: LinuxArch, pythons: readonly string[]): string[] {
  return pythons.flatMap((python) => {
    const source = pythonSource(arch, python);
    return source.kind === 'none' ? [`cp${python.replace('.', '')}-*_${arch}: ${source.reason}`] : [];
  });
}

/** Why no musllinux wheel is tested here. */
export const NO_MUSL_CPYTHON =
  'no musl CPython can be had on this machine (Debian packages none, and python.org is not reachable)';

/**
 * Runs a caller workflow of build-wheels.yml (`inputs`, `working-directory` among them) in a copy
 * of the repository changed by `mutate`. The stand-ins build with crates fetched on the host
 * (containers have no network); each leg keeps its own target dir, since act runs a matrix's legs
 * side by side and a build's post step prunes its target dir.
 */
export async function runCaller(
  name: string,
  inputs: Record<string, string | boolean>,
  mutate?: (dir: string) => void,
): Promise<{ run: ActRun; artifacts: string }> {
  const copy = copyRepository(freshDir(`act-${name}`), {
    mutate: (dir) => {
      mutate?.(dir);
      writeFileSync(path.join(dir, '.github', 'workflows', `${name}.yml`), callerWorkflow(name, inputs));
    },
  });
  const artifacts = freshDir(`act-${name}-artifacts`);
  const project = path.join(copy.dir, String(inputs['working-directory'] ?? '.'));
  const run = await runAct(name, copy.dir, [
    'push',
    '-W',
    `.github/workflows/${name}.yml`,
    '--local-repository',
    `${SELF}@${copy.sha}=${copy.dir}`,
    ...standInArgs(freshDir('act-stand-ins')),
    '--artifact-server-path',
    artifacts,
    '--artifact-server-port',
    String(await freePort()),
    '--env',
    `CARGO_HOME=${fetchedCargoHome(project)}`,
    '--env',
    'CARGO_NET_OFFLINE=true',
    '--env',
    `RUNNER_TOOL_CACHE=${sharedDir('tool-cache')}`,
  ]);
  return { run, artifacts };
}
