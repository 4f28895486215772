/**
 * What one build leg builds and tests, and which wheel serves each Python:
 * - a version-specific project builds and tests every version;
 * - an abi3 project builds its abi3 wheel once, with the oldest CPython, and tests it on the
 *   oldest and the newest CPython that install it; free-threaded CPython cannot load abi3
 *   extensions, so each free-threaded version is built too (maturin makes a version-specific
 *   cp314t wheel for an abi3 project on a free-threaded interpreter);
 * - with PyO3's abi3t feature (PEP 803, PyO3 ≥ 0.29, maturin ≥ 1.14) the 3.15t build is one
 *   `abi3.abi3t` wheel that GIL-enabled 3.15 loads as well, and installers prefer it there over
 *   the older abi3 wheel: it is tested on both.
 * The build action gets the versions as one list; it runs the GIL-enabled ones in one maturin call
 * and each free-threaded one in its own (actions/build/src/maturin-calls.ts).
 */

import { comparePython, minorOf } from './python-versions.js';
import type { NotBuiltReason } from './row-states.js';

export interface LegPythons {
  /** Interpreters the build gets. */
  build: string[];
  /** Interpreters the wheels are tested on. */
  test: string[];
  /** For every version tested: the interpreter of `build` whose wheel serves it. */
  servedBy: Record<string, string>;
  /** Versions asked for that this platform cannot have, and why. */
  excluded: { python: string; reason: NotBuiltReason }[];
}

export interface LegProject {
  /** PyO3's abi3 features: one stable-ABI wheel for the GIL-enabled versions. */
  abi3: boolean;
  /** PyO3's abi3t feature on a PyO3 that has it (≥ 0.29): one abi3t wheel from 3.15 up. */
  abi3t: boolean;
}

const isFreeThreaded = (v: string) => v.endsWith('t');
const minor = (v: string) => Number(minorOf(v).split('.')[1]);
/** PEP 803: abi3t exists from CPython 3.15. */
const ABI3T_MINOR = 15;

/** The interpreter whose build yields the abi3t wheel, or undefined when none will. */
function abi3tBuilder(
  gil: readonly string[],
  freeThreaded: readonly string[],
  project: LegProject,
): string | undefined {
  if (!project.abi3t) return undefined;
  // An abi3 project builds its GIL versions as abi3 (with the oldest): the abi3t wheel comes from
  // the first free-threaded build that has abi3t. Otherwise the first GIL version that has it
  // already builds abi3t, and that wheel serves the free-threaded versions.
  const candidates = project.abi3 ? freeThreaded : gil;
  return candidates.find((v) => minor(v) >= ABI3T_MINOR);
}

function versionSpecific(usable: readonly string[], abi3t: string | undefined): Omit<LegPythons, 'excluded'> {
  const servedBy: Record<string, string> = {};
  const build: string[] = [];
  for (const python of usable) {
    const byAbi3t = abi3t !== undefined && isFreeThreaded(python) && minor(python) >= minor(abi3t);
    servedBy[python] = byAbi3t ? abi3t : python;
    if (!byAbi3t) build.push(python);
  }
  return { build, test: [...usable], servedBy };
}

function stableAbi(
  gil: readonly string[],
  freeThreaded: readonly string[],
  abi3t: string | undefined,
): Omit<LegPythons, 'excluded'> {
  const servedByAbi3t = (v: string) => abi3t !== undefined && minor(v) >= minor(abi3t);
  // The abi3 wheel, built with the oldest CPython, serves the GIL-enabled versions abi3t does not.
  const abi3Served = gil.filter((v) => !servedByAbi3t(v));
  const abi3By = abi3Served[0];
  const servedBy: Record<string, string> = {};
  const serve = (python: string, by: string) => {
    servedBy[python] = by;
  };
  for (const python of freeThreaded) serve(python, servedByAbi3t(python) ? abi3t! : python);
  for (const python of gil.filter(servedByAbi3t)) serve(python, abi3t!);
  if (abi3By !== undefined) for (const python of [abi3By, abi3Served.at(-1)!]) serve(python, abi3By);
  return {
    build: [...(abi3By !== undefined ? [abi3By] : []), ...freeThreaded],
    test: Object.keys(servedBy).sort(comparePython),
    servedBy,
  };
}

/** The versions one platform builds and tests, given its oldest CPython. */
export function legPythons(
  versions: readonly string[],
  options: LegProject & { minPython: string; minPythonReason: string },
): LegPythons {
  const tooOld = (v: string) => options.minPython !== '' && comparePython(minorOf(v), options.minPython) < 0;
  const excluded = versions
    .filter(tooOld)
    .map((python) => ({ python, reason: { kind: 'no-cpython' as const, detail: options.minPythonReason } }));
  const usable = versions.filter((v) => !tooOld(v));
  const gil = usable.filter((v) => !isFreeThreaded(v));
  const freeThreaded = usable.filter(isFreeThreaded);
  const abi3t = abi3tBuilder(gil, freeThreaded, options);
  const planned = options.abi3 ? stableAbi(gil, freeThreaded, abi3t) : versionSpecific(usable, abi3t);
  return { ...planned, excluded };
}
