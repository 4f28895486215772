/**
 * `npm run matrix` options: which legs and which CPythons (default: the ten Linux legs, and every
 * CPython the plan builds by default, free-threaded ones included).
 */
import { FREE_THREADED_PYTHONS, SUPPORTED_PYTHONS } from '../../actions/plan/src/python-versions.js';
import { BUILD_LEGS } from '../../packages/harness/src/images/build-stand-ins.js';

export interface MatrixOptions {
  legs: string[];
  pythons: string[];
  /** Instead of the legs: the test action's whole parity table (actions/test container-parity). */
  parity: boolean;
  /** Instead of the legs: build-wheels.yml's emulated and musl legs under act (act-linux-legs). */
  act: boolean;
  /** Instead of the legs: build-wheels.yml on all ten Linux legs with CPython 3.13 under act (act-all-linux-legs). */
  actAll: boolean;
  help: boolean;
}

export const USAGE = `npm run matrix [-- options]

Builds examples/setup on every Linux leg in its stand-in image, through the build action's bundle,
and tests each glibc wheel in a container of its architecture on every CPython that architecture
can have here. Prints one table; the report is written to .work/matrix/.

  --leg ID          a leg (repeat or comma-separate): ${BUILD_LEGS.map((l) => l.leg).join(', ')}
  --python LIST     CPython versions to build (default: ${[...SUPPORTED_PYTHONS, ...FREE_THREADED_PYTHONS].join(',')})
  --parity          instead: every run of the test action's parity table, on the runner and in a
                    container (npm test makes the two most cases use)
  --act             instead: build-wheels.yml on the emulated aarch64 and the musl legs under act,
                    with every default CPython and a broken copy (npm test leaves them out)
  --act-all         instead: build-wheels.yml with platforms: linux musllinux under act, all ten
                    legs built in their stand-ins and the glibc ones tested, CPython 3.13 only
  --help            this text

The musllinux stand-ins get their Rust std by one of two routes (README, "The images"): Rust's
official toolchain from rustup's server when it answers (x86_64 and aarch64), else a std compiled
from Debian's rust-src (i686 and armv7 always). FERROWHEEL_MUSL_STD=build (or dist) forces one.`;

export class UsageError extends Error {}

function list(value: string | undefined, option: string): string[] {
  if (value === undefined || value.startsWith('--')) throw new UsageError(`${option} needs a value`);
  return value.split(',').filter((v) => v !== '');
}

export function parseOptions(argv: string[]): MatrixOptions {
  const options: MatrixOptions = {
    legs: [],
    pythons: [],
    parity: false,
    act: false,
    actAll: false,
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') options.help = true;
    else if (arg === '--leg') options.legs.push(...list(argv[++i], arg));
    else if (arg === '--python') options.pythons.push(...list(argv[++i], arg));
    else if (arg === '--parity') options.parity = true;
    else if (arg === '--act') options.act = true;
    else if (arg === '--act-all') options.actAll = true;
    else throw new UsageError(`unknown option ${arg}`);
  }
  for (const leg of options.legs) {
    if (!BUILD_LEGS.some((l) => l.leg === leg)) {
      throw new UsageError(`--leg ${leg} is not a Linux leg (${BUILD_LEGS.map((l) => l.leg).join(', ')})`);
    }
  }
  for (const python of options.pythons) {
    if (!/^3\.\d{1,2}t?$/.test(python))
      throw new UsageError(`--python ${python} is not a CPython version (3.12, 3.14t)`);
  }
  if (options.legs.length === 0) options.legs = BUILD_LEGS.map((l) => l.leg);
  if (options.pythons.length === 0) options.pythons = [...SUPPORTED_PYTHONS, ...FREE_THREADED_PYTHONS];
  return options;
}
