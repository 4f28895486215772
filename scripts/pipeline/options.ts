/**
 * The local pipeline's command line: `npm run pipeline [-- [PATH] [options]]`. Parsing is pure
 * (argv in, options or a usage error out) so it is tested without running anything.
 */
import path from 'node:path';

export type ContainerChoice =
  | { kind: 'auto' }
  | { kind: 'on' }
  | { kind: 'off' }
  | { kind: 'image'; image: string };

/** The build's `pgo`: off, the project's pgo-command, or a training script (relative to the project). */
export type PgoChoice = { kind: 'off' } | { kind: 'pyproject' } | { kind: 'script'; script: string };

export interface PipelineOptions {
  /** The PyO3/maturin project (absolute). */
  project: string;
  container: ContainerChoice;
  sdist: boolean;
  /** The build's `audit` input: a finding fails the build, warns, or nothing is audited. */
  audit: 'error' | 'warn' | 'off';
  /** Python versions to build and test for (`3.11`, `3.13t`); empty: the python on PATH. */
  pythons: string[];
  publish: boolean;
  /** Leave the index running after the pipeline, until Ctrl-C. */
  keep: boolean;
  verbose: boolean;
  /** Where report.md and report.html go (absolute). */
  reportDir: string | undefined;
  /** The build's `reproducible` (on unless --no-reproducible). */
  reproducible: boolean;
  pgo: PgoChoice;
  /** The build's `pgo-measure`. */
  pgoMeasure: boolean;
  help: boolean;
}

export const USAGE = `Usage: npm run pipeline [-- [PATH] [options]]

Runs setup-rust → setup-maturin → build → test → publish on the PyO3/maturin project at PATH
(default: examples/setup), publishes into a local package index it starts on 127.0.0.1, then
installs the package from that index into a fresh venv and imports it.

Options:
  --container MODE   auto (default): build on the host unless the image the build would use is
                     already present in a running docker engine; on: build in that image (docker
                     must run and reach it); off: on the host; or an image name to build in.
  --no-sdist         skip the source distribution (built by default)
  --audit MODE       the audit of the wheels (abi3audit, auditwheel, twine check --strict, build
                     paths, top-level entries, PyInit): error (default: a finding stops the
                     pipeline), warn, or off
  --python VERSIONS  Python versions to build and test for, e.g. 3.11,3.12 (default: python3 on PATH)
  --no-publish       stop after the tests: no index, the wheel is installed from the build output
  --keep             leave the index running after the pipeline (Ctrl-C stops it)
  --report DIR       where report.md and report.html go (default: .work/pipeline/report)
  --pgo              a PGO build: [tool.maturin] pgo-command of the project trains it
  --pgo-script FILE  a PGO build trained by FILE, a script of the project (relative to PATH)
  --pgo-measure      also build a plain wheel and report PGO's gain on the training
  --no-reproducible  leave maturin's output as it is (no SOURCE_DATE_EPOCH, remapping, SBOM rewrite)
  --verbose, -v      show every group's output and the debug lines
  --help, -h         this text
Environment: NO_COLOR=1 turns colour off (it is off anyway when output is not a terminal).`;

export class UsageError extends Error {}

function parseContainer(mode: string): ContainerChoice {
  if (mode === 'auto' || mode === 'on' || mode === 'off') return { kind: mode };
  if (/^[a-z0-9][a-z0-9._/:@-]*$/i.test(mode)) return { kind: 'image', image: mode };
  throw new UsageError(`--container ${JSON.stringify(mode)} is not auto, on, off or an image name.`);
}

function parsePgoScript(script: string): PgoChoice {
  if (path.isAbsolute(script) || script.split(/[\\/]/).includes('..'))
    throw new UsageError(
      `--pgo-script ${JSON.stringify(script)}: give a script inside the project, relative to it.`,
    );
  return { kind: 'script', script };
}

function parseAudit(mode: string): PipelineOptions['audit'] {
  if (mode === 'error' || mode === 'warn' || mode === 'off') return mode;
  throw new UsageError(`--audit ${JSON.stringify(mode)} is not error, warn or off.`);
}

function parsePythons(raw: string): string[] {
  const versions = raw.split(/[\s,]+/).filter((v) => v !== '');
  const bad = versions.find((v) => !/^(3\.\d+t?|pypy3\.\d+)$/.test(v));
  if (bad !== undefined || versions.length === 0) {
    throw new UsageError(
      `--python ${JSON.stringify(raw)}: give versions like 3.11,3.12 (3.13t free-threaded).`,
    );
  }
  return versions;
}

/** What an option changes; one that takes a value reads it with `value()`. */
type Option = (soFar: PipelineOptions, value: () => string, cwd: string) => Partial<PipelineOptions>;

/** The options, a pure table. */
const OPTIONS = new Map<string, Option>([
  ['--container', (_, value) => ({ container: parseContainer(value()) })],
  ['--sdist', () => ({ sdist: true })],
  ['--no-sdist', () => ({ sdist: false })],
  ['--audit', (_, value) => ({ audit: parseAudit(value()) })],
  ['--python', (soFar, value) => ({ pythons: [...soFar.pythons, ...parsePythons(value())] })],
  ['--no-publish', () => ({ publish: false })],
  ['--keep', () => ({ keep: true })],
  ['--report', (_, value, cwd) => ({ reportDir: path.resolve(cwd, value()) })],
  ['--pgo', () => ({ pgo: { kind: 'pyproject' } })],
  ['--pgo-script', (_, value) => ({ pgo: parsePgoScript(value()) })],
  ['--pgo-measure', () => ({ pgoMeasure: true })],
  ['--no-reproducible', () => ({ reproducible: false })],
  ['--verbose', () => ({ verbose: true })],
  ['-v', () => ({ verbose: true })],
  ['--help', () => ({ help: true })],
  ['-h', () => ({ help: true })],
]);

/** Parses the pipeline's arguments; `cwd` resolves a relative PATH. */
export function parseOptions(
  argv: readonly string[],
  defaults: { cwd: string; project: string },
): PipelineOptions {
  const options: PipelineOptions = {
    project: defaults.project,
    container: { kind: 'auto' },
    sdist: true,
    audit: 'error',
    pythons: [],
    publish: true,
    keep: false,
    verbose: false,
    reportDir: undefined,
    reproducible: true,
    pgo: { kind: 'off' },
    pgoMeasure: false,
    help: false,
  };
  let projectGiven = false;
  const args = [...argv];
  while (args.length > 0) {
    let arg = args.shift()!;
    // --flag=value is the same as --flag value.
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    if (eq > 0) {
      args.unshift(arg.slice(eq + 1));
      arg = arg.slice(0, eq);
    }
    const option = OPTIONS.get(arg);
    const flag = arg;
    const value = (): string => {
      const next = args.shift();
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${flag} needs a value.`);
      return next;
    };
    if (option) {
      Object.assign(options, option(options, value, defaults.cwd));
      continue;
    }
    if (arg.startsWith('-')) throw new UsageError(`Unknown option ${arg}.`);
    if (projectGiven) throw new UsageError(`One project path only (got ${options.project} and ${arg}).`);
    options.project = path.resolve(defaults.cwd, arg);
    projectGiven = true;
  }
  if (options.keep && !options.publish)
    throw new UsageError('--keep keeps the index running; --no-publish starts none.');
  if (options.pgoMeasure && options.pgo.kind === 'off')
    throw new UsageError('--pgo-measure measures a PGO build: add --pgo or --pgo-script FILE.');
  return options;
}
