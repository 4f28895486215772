/**
 * The rustflags cargo would give a build, so flags of ferrowheel's own (path remapping, PGO) can
 * be added without losing the user's. Cargo takes them from the first of these that is set, and
 * ignores the rest (doc.rust-lang.org/cargo/reference/config.html#buildrustflags):
 * 1. CARGO_ENCODED_RUSTFLAGS; 2. RUSTFLAGS;
 * 3. `target.<triple>.rustflags` and every matching `target.'cfg(…)'.rustflags`, joined (config
 *    files, `--config`, CARGO_TARGET_<TRIPLE>_RUSTFLAGS);
 * 4. `build.rustflags` (config files, `--config`, CARGO_BUILD_RUSTFLAGS).
 * So adding a flag through any one of them can drop the others: CARGO_BUILD_RUSTFLAGS is ignored
 * when a target entry exists, a target entry of ours hides the user's build.rustflags, and
 * maturin itself (cargo_config2, when it adds flags of its own: macOS, musl) replaces a file's
 * build.rustflags by CARGO_BUILD_RUSTFLAGS instead of joining them. The one way that means the
 * same to cargo and to maturin is CARGO_ENCODED_RUSTFLAGS holding the user's effective flags
 * followed by ours: this module finds the effective flags the way cargo does.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Exec } from '@ferrowheel/kit/exec';
import { parseTomlText, readToml } from '@ferrowheel/kit/project';

type Table = Record<string, unknown>;

/** One source of configuration: a config file or a `--config` argument. */
export interface ConfigLayer {
  /** For the log: the file, or `--config`. */
  origin: string;
  table: Table;
}

export interface EffectiveRustflags {
  flags: string[];
  /** Where cargo would take them from, for the log: `RUSTFLAGS`, `build.rustflags (…)`, `none`. */
  source: string;
}

/** cargo's config files for a build run in `cwd`, lowest precedence first: $CARGO_HOME, then `/` … `cwd`. */
export function cargoConfigFiles(cwd: string, cargoHome: string | undefined): string[] {
  const dirs: string[] = [];
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    dirs.unshift(dir);
    if (path.dirname(dir) === dir) break;
  }
  const inDir = (dir: string) =>
    ['config', 'config.toml'].map((name) => path.join(dir, name)).find((file) => existsSync(file));
  const files = dirs.map((dir) => inDir(path.join(dir, '.cargo')));
  const home = cargoHome !== undefined ? inDir(cargoHome) : undefined;
  return [...new Set([home, ...files].filter((f): f is string => f !== undefined))];
}

/** A config file cargo would read (a broken one is a ProjectError naming it: cargo would fail too). */
function readLayer(file: string): ConfigLayer {
  return { origin: file, table: readToml(file) };
}

/** `--config KEY=VALUE` / `--config FILE` values of a cargo/maturin argv, as layers. */
export function cliConfigLayers(args: readonly string[], cwd: string): ConfigLayer[] {
  const values: string[] = [];
  args.forEach((arg, i) => {
    if (arg === '--config' && args[i + 1] !== undefined) values.push(args[i + 1]!);
    else if (arg.startsWith('--config=')) values.push(arg.slice('--config='.length));
  });
  return values.map((value) => {
    if (/^[A-Za-z0-9_."'-]+\s*=/.test(value) && !existsSync(path.resolve(cwd, value))) {
      // Cargo refuses a value that is not TOML; then it has no flags of ours to lose either.
      return { origin: '--config', table: parseTomlText(value) ?? {} };
    }
    return readLayer(path.resolve(cwd, value));
  });
}

/** The config layers of a build: files (lowest precedence first), then `--config` arguments. */
export function configLayers(files: readonly string[], cli: readonly ConfigLayer[]): ConfigLayer[] {
  return [...files.map(readLayer), ...cli];
}

function table(value: unknown): Table | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Table) : undefined;
}

/** A rustflags value: an array of strings, or one string split on whitespace (cargo's two forms). */
function flagsOf(value: unknown): string[] | undefined {
  if (typeof value === 'string') return value.split(/\s+/).filter((f) => f !== '');
  if (Array.isArray(value)) return value.filter((f): f is string => typeof f === 'string');
  return undefined;
}

/** `rustc --print cfg` lines → the set `unix`, `target_os="linux"`, … */
export function parseCfgs(printed: string): Set<string> {
  return new Set(
    printed
      .split(/\r?\n/)
      .map((l) => l.trim().replace(/\s*=\s*/, '='))
      .filter((l) => l !== ''),
  );
}

/** Whether `cfg(<predicate>)` holds for `cfgs`: all(), any(), not(), `name`, `name = "value"`. */
export function cfgMatches(expression: string, cfgs: ReadonlySet<string>): boolean {
  const tokens = expression.match(/"[^"]*"|[A-Za-z_][A-Za-z0-9_]*|[(),=]/g) ?? [];
  let at = 0;
  const next = () => tokens[at++];
  const predicate = (): boolean => {
    const name = next();
    if (name === undefined) throw new Error('unexpected end');
    if ((name === 'all' || name === 'any' || name === 'not') && tokens[at] === '(') {
      next();
      const items: boolean[] = [];
      while (tokens[at] !== ')') {
        items.push(predicate());
        if (tokens[at] === ',') next();
        else if (tokens[at] !== ')') throw new Error('expected , or )');
      }
      next();
      if (name === 'not') return !items[0];
      return name === 'all' ? items.every(Boolean) : items.some(Boolean);
    }
    if (tokens[at] === '=') {
      next();
      return cfgs.has(`${name}=${next()}`);
    }
    return cfgs.has(name);
  };
  try {
    if (next() !== 'cfg' || next() !== '(') return false;
    const result = predicate();
    return next() === ')' ? result : false;
  } catch {
    return false;
  }
}

function envFlags(env: Record<string, string | undefined>, name: string): string[] | undefined {
  const value = env[name];
  return value === undefined ? undefined : value.split(/\s+/).filter((f) => f !== '');
}

/** The `CARGO_TARGET_<TRIPLE>_RUSTFLAGS` name of a triple. */
export function targetEnvName(triple: string): string {
  return `CARGO_TARGET_${triple.toUpperCase().replace(/[-.]/g, '_')}_RUSTFLAGS`;
}

/** The flags cargo would use for `triple` (see the module comment). */
export function effectiveRustflags(options: {
  env: Record<string, string | undefined>;
  triple: string;
  layers: readonly ConfigLayer[];
  /** The target's cfgs (`rustc --print cfg --target`), for `target.'cfg(…)'` entries. */
  cfgs: ReadonlySet<string>;
}): EffectiveRustflags {
  const { env, triple, layers, cfgs } = options;
  if (env.CARGO_ENCODED_RUSTFLAGS !== undefined) {
    const flags = env.CARGO_ENCODED_RUSTFLAGS === '' ? [] : env.CARGO_ENCODED_RUSTFLAGS.split('\x1f');
    return { flags, source: 'CARGO_ENCODED_RUSTFLAGS' };
  }
  const rustflags = envFlags(env, 'RUSTFLAGS');
  if (rustflags !== undefined) return { flags: rustflags, source: 'RUSTFLAGS' };
  const target = collector();
  const build = collector();
  for (const layer of layers) {
    target.add(flagsOf(table(table(layer.table.target)?.[triple])?.rustflags), layer.origin);
    build.add(flagsOf(table(layer.table.build)?.rustflags), layer.origin);
  }
  target.add(envFlags(env, targetEnvName(triple)), targetEnvName(triple));
  for (const layer of layers) {
    for (const [key, value] of Object.entries(table(layer.table.target) ?? {})) {
      if (!key.startsWith('cfg(') || !cfgMatches(key, cfgs)) continue;
      target.add(flagsOf(table(value)?.rustflags), `${layer.origin} [target.'${key}']`);
    }
  }
  // Empty target flags do not hide build.rustflags (cargo, as cargo_config2 notes).
  if (target.flags.length > 0)
    return { flags: target.flags, source: `target rustflags (${target.origins()})` };
  build.add(envFlags(env, 'CARGO_BUILD_RUSTFLAGS'), 'CARGO_BUILD_RUSTFLAGS');
  if (build.flags.length > 0) return { flags: build.flags, source: `build.rustflags (${build.origins()})` };
  return { flags: [], source: 'none' };
}

/** Flags joined in the order found, with where they came from. */
function collector() {
  const flags: string[] = [];
  const from = new Set<string>();
  return {
    flags,
    add(found: string[] | undefined, origin: string) {
      if (found === undefined) return;
      flags.push(...found);
      from.add(origin);
    },
    origins: () => [...from].join(', '),
  };
}

/** The environment that gives cargo (and maturin) `effective` flags followed by `added`. */
export function encodedRustflags(
  effective: EffectiveRustflags,
  added: readonly string[],
): Record<string, string> {
  return { CARGO_ENCODED_RUSTFLAGS: [...effective.flags, ...added].join('\x1f') };
}

/** True when a layer has a `target.'cfg(…)'` table (only then are the target's cfgs needed). */
function hasCfgTargets(layers: readonly ConfigLayer[]): boolean {
  return layers.some((l) => Object.keys(table(l.table.target) ?? {}).some((k) => k.startsWith('cfg(')));
}

/**
 * The effective rustflags of a build run in `cwd` for `triple`: config files from `cwd` up and
 * `cargoHome` (undefined in a container, whose cargo home is the image's), `--config` arguments of
 * `args`, and the environment.
 */
export async function buildRustflags(options: {
  exec: Exec;
  env: Record<string, string | undefined>;
  triple: string;
  cwd: string;
  cargoHome: string | undefined;
  args: readonly string[];
}): Promise<EffectiveRustflags> {
  const layers = configLayers(
    cargoConfigFiles(options.cwd, options.cargoHome),
    cliConfigLayers(options.args, options.cwd),
  );
  let cfgs = new Set<string>();
  if (hasCfgTargets(layers)) {
    const printed = await options
      .exec('rustc', ['--print', 'cfg', '--target', options.triple], { silent: true, allowFailure: true })
      .catch(() => undefined);
    if (printed?.exitCode === 0) cfgs = parseCfgs(printed.stdout);
  }
  return effectiveRustflags({ env: options.env, triple: options.triple, layers, cfgs });
}
