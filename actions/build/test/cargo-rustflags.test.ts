/**
 * The effective rustflags, checked against cargo itself: for each arrangement of config files,
 * `--config` arguments and variables, a tiny crate is built with `cargo build -v` and the
 * `--cfg m_*` markers rustc really got must be exactly the flags effectiveRustflags finds, in order.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exec } from '@ferrowheel/kit/exec';
import { describe, expect, it } from '@jest/globals';
import {
  buildRustflags,
  cargoConfigFiles,
  cfgMatches,
  encodedRustflags,
  parseCfgs,
  targetEnvName,
} from '../src/cargo-rustflags.js';

const HOST = /^host: (\S+)/m.exec(spawnSync('rustc', ['-vV'], { encoding: 'utf8' }).stdout)![1]!;
const root = mkdtempSync(path.join(tmpdir(), 'rustflags-'));
const targetDir = path.join(root, 'target');
const silentExec: typeof exec = (program, args, options = {}) =>
  exec(program, args, { ...options, silent: true });

interface Arrangement {
  /** `.cargo/config.toml` of an ancestor of the crate, of the crate, and of CARGO_HOME. */
  parent?: string;
  crate?: string;
  home?: string;
  env?: Record<string, string>;
  args?: string[];
}

let n = 0;

function arrange(a: Arrangement) {
  const top = path.join(root, `case-${n++}`);
  const crate = path.join(top, 'crate');
  const home = path.join(top, 'home');
  mkdirSync(path.join(crate, 'src'), { recursive: true });
  mkdirSync(home, { recursive: true });
  writeFileSync(
    path.join(crate, 'Cargo.toml'),
    '[package]\nname = "probe"\nversion = "0.1.0"\nedition = "2021"\n',
  );
  writeFileSync(path.join(crate, 'src/lib.rs'), '');
  const write = (dir: string, text: string | undefined) => {
    if (text === undefined) return;
    mkdirSync(path.join(dir, '.cargo'), { recursive: true });
    writeFileSync(path.join(dir, '.cargo', 'config.toml'), text);
  };
  write(top, a.parent);
  write(crate, a.crate);
  if (a.home !== undefined) writeFileSync(path.join(home, 'config.toml'), a.home);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !/RUSTFLAGS$/.test(k)) env[k] = v;
  }
  // The crate has no dependencies, so a CARGO_HOME of its own needs no registry.
  Object.assign(env, { CARGO_HOME: home, CARGO_TARGET_DIR: targetDir, CARGO_TERM_COLOR: 'never' }, a.env);
  return { crate, home, env, args: a.args ?? [] };
}

/** The `m_*` markers of the crate's rustc command line, as cargo really ran it. */
function cargoMarkers(crate: string, env: Record<string, string>, args: string[]): string[] {
  const built = spawnSync('cargo', ['build', '-v', ...args], { cwd: crate, env, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(built.stderr);
  const line = built.stderr
    .split('\n')
    .find((l) => l.includes('Running') && l.includes('--crate-name probe'));
  if (line === undefined) throw new Error(`no rustc line:\n${built.stderr}`);
  return [...line.matchAll(/--cfg[ =]'?(m_[a-z0-9_]+)/g)].map((m) => m[1]!);
}

function found(a: ReturnType<typeof arrange>) {
  return buildRustflags({
    exec: silentExec,
    env: a.env,
    triple: HOST,
    cwd: a.crate,
    cargoHome: a.home,
    args: a.args,
  });
}

async function ours(a: ReturnType<typeof arrange>): Promise<string[]> {
  return (await found(a)).flags.filter((f) => f.startsWith('m_'));
}

const cfg = (...names: string[]) => `rustflags = [${names.flatMap((m) => ['"--cfg"', `"${m}"`]).join(', ')}]`;

const arrangements: [string, Arrangement][] = [
  ['nothing', {}],
  [
    'build.rustflags of the crate, an ancestor and CARGO_HOME, joined',
    {
      home: `[build]\n${cfg('m_home')}`,
      parent: `[build]\n${cfg('m_parent')}`,
      crate: `[build]\n${cfg('m_crate')}`,
    },
  ],
  ['build.rustflags as one string', { crate: `[build]\nrustflags = "--cfg  m_one --cfg m_two"` }],
  [
    'CARGO_BUILD_RUSTFLAGS joined after the files',
    {
      crate: `[build]\n${cfg('m_file')}`,
      env: { CARGO_BUILD_RUSTFLAGS: '--cfg m_env' },
    },
  ],
  [
    'a target entry hides build.rustflags',
    {
      crate: `[build]\n${cfg('m_build')}\n[target.${HOST}]\n${cfg('m_target')}`,
    },
  ],
  [
    'target.<triple>, CARGO_TARGET_<TRIPLE>_RUSTFLAGS and matching cfg entries, joined',
    {
      parent: `[target.'cfg(all(unix, not(windows), any(target_os = "linux", target_os = "macos")))']\n${cfg('m_cfg')}\n[target.'cfg(windows)']\n${cfg('m_windows')}`,
      crate: `[target.${HOST}]\n${cfg('m_triple')}\n[build]\n${cfg('m_build')}`,
      env: { [targetEnvName(HOST)]: '--cfg m_env' },
    },
  ],
  [
    'a cfg entry that does not match leaves build.rustflags in force',
    {
      crate: `[target.'cfg(windows)']\n${cfg('m_windows')}\n[build]\n${cfg('m_build')}`,
    },
  ],
  [
    'RUSTFLAGS beats every config',
    {
      crate: `[build]\n${cfg('m_build')}\n[target.${HOST}]\n${cfg('m_target')}`,
      env: { RUSTFLAGS: '--cfg m_rustflags' },
    },
  ],
  [
    'CARGO_ENCODED_RUSTFLAGS beats RUSTFLAGS',
    {
      env: { RUSTFLAGS: '--cfg m_rustflags', CARGO_ENCODED_RUSTFLAGS: '--cfg\x1fm_encoded' },
    },
  ],
  [
    '--config arguments join the files',
    {
      crate: `[build]\n${cfg('m_file')}`,
      args: ['--config', `build.rustflags = ["--cfg", "m_cli"]`],
    },
  ],
];

describe('effectiveRustflags agrees with cargo', () => {
  it.each(arrangements)(
    '%s',
    async (_name, arrangement) => {
      const a = arrange(arrangement);
      expect(await ours(a)).toEqual(cargoMarkers(a.crate, a.env, a.args));
    },
    60_000,
  );

  it('and cargo keeps the user flags when ours are added through CARGO_ENCODED_RUSTFLAGS', async () => {
    const a = arrange({ crate: `[target.${HOST}]\n${cfg('m_user')}` });
    const effective = await found(a);
    expect(effective.source).toMatch(/^target rustflags \(.*config\.toml\)$/);
    const env = { ...a.env, ...encodedRustflags(effective, ['--cfg', 'm_ours']) };
    expect(cargoMarkers(a.crate, env, [])).toEqual(['m_user', 'm_ours']);
  }, 60_000);
});

describe('cfg expressions', () => {
  const cfgs = parseCfgs('unix\ntarget_os="linux"\ntarget_arch = "x86_64"\ndebug_assertions\n');
  it.each([
    ['cfg(unix)', true],
    ['cfg(windows)', false],
    ['cfg(target_os = "linux")', true],
    ['cfg(all(unix, target_arch = "x86_64"))', true],
    ['cfg(any(windows, target_os = "macos"))', false],
    ['cfg(not(windows))', true],
    ['cfg(all())', true],
    ['cfg(any())', false],
    ['cfg(all(unix,', false],
    ['unix', false],
  ])('%s → %s', (expression, expected) => {
    expect(cfgMatches(expression, cfgs)).toBe(expected);
  });
});

describe('cargoConfigFiles', () => {
  it('lists CARGO_HOME first, then the directories from / down, config before config.toml', () => {
    const a = arrange({ parent: '', crate: '', home: '' });
    writeFileSync(path.join(a.crate, '.cargo', 'config'), '');
    expect(cargoConfigFiles(a.crate, a.home)).toEqual([
      path.join(a.home, 'config.toml'),
      path.join(path.dirname(a.crate), '.cargo', 'config.toml'),
      path.join(a.crate, '.cargo', 'config'),
    ]);
    expect(cargoConfigFiles(a.crate, undefined)[0]).toBe(
      path.join(path.dirname(a.crate), '.cargo', 'config.toml'),
    );
  });
});
