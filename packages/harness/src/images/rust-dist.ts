/**
 * The musllinux stand-ins' fast route: Rust's official toolchain (rustc, cargo, the host's std and
 * the musl target's std) from rustup's server, as rust-cross's rust-musl-cross images have it,
 * instead of a musl std compiled from Debian's rust-src (musl-std.sh: 6 to 14 minutes a target on
 * a 2-core machine). An official rust-std only loads into the rustc it was built with (Debian's
 * rustc 1.97.1 refuses it: "compiled by an incompatible version of rustc"), so the layer brings
 * that rustc too. The tarballs are pinned: the version, and the sha256 of each file from the
 * version's channel manifest (channel-rust-1.97.1.toml), checked before anything is unpacked.
 * rustup's server is not a registry this machine is promised: musl-std-route.ts asks it first and
 * falls back to the Debian build.
 */
import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { sha256 } from '@ferrowheel/kit/files';
import { tarLayer } from './layer-tar.js';

const run = promisify(execFile);

/** The server rustup downloads from (RUSTUP_DIST_SERVER's default). */
export const RUST_DIST_SERVER = 'https://static.rust-lang.org';

/** The version: Debian sid's rustc's, so both routes compile with the same Rust. */
export const RUST_DIST_VERSION = '1.97.1';
const RUST_DIST_DATE = '2026-07-16';
const HOST = 'x86_64-unknown-linux-gnu';

/**
 * sha256 of each `<component>-<version>-<target>.tar.xz`, from the channel manifest. Rust 1.97.1
 * ships no rust-std for i686-unknown-linux-musl or armv7-unknown-linux-musleabihf (`available =
 * false`): those legs always take the Debian route.
 */
const PINNED: Record<string, string> = {
  [`rustc-${HOST}`]: '9819d0a32d56bd339585319c80260e332779f5541fd66838ab7e016d6c814819',
  [`cargo-${HOST}`]: 'e1be5f5ff7f7f80ca506fb65770b759edbdc6d303781ed71c5de8ec8a8394779',
  [`rust-std-${HOST}`]: '1c1e704ae80126b7de34f72ea2825f7fd01736dec20732faed47374b95282fba',
  'rust-std-x86_64-unknown-linux-musl': '51d83178680556f73a5fa8ad865b76a1ff541867445c00fc65dc67246bc2de66',
  'rust-std-aarch64-unknown-linux-musl': '49ff0879d94e2e8e86d5e85eb15a9215943e8c78b51363d6553443598cab5d31',
};

/** One dist tarball: where it is (relative to the server) and its pinned sha256. */
export interface DistFile {
  path: string;
  sha256: string;
}

/** What a rust-dist layer holds: files unpacked under /usr/local/rust, rustc and cargo on PATH. */
export interface RustDistLayer {
  kind: 'rust-dist';
  version: string;
  files: DistFile[];
}

function distFile(component: string, target: string): DistFile | undefined {
  const hash = PINNED[`${component}-${target}`];
  if (hash === undefined) return undefined;
  return { path: `/dist/${RUST_DIST_DATE}/${component}-${RUST_DIST_VERSION}-${target}.tar.xz`, sha256: hash };
}

/** The layer of the official toolchain with `target`'s std, or undefined when Rust ships none. */
export function rustDistLayer(target: string): RustDistLayer | undefined {
  const std = distFile('rust-std', target);
  if (std === undefined) return undefined;
  const host = ['rustc', 'cargo', 'rust-std'].map((c) => distFile(c, HOST));
  return { kind: 'rust-dist', version: RUST_DIST_VERSION, files: [...(host as DistFile[]), std] };
}

/** Why `url` cannot be had (a HEAD request, `timeoutMs` at most), or undefined when it can. */
export async function distServerProblem(url: string, timeoutMs = 15_000): Promise<string | undefined> {
  try {
    const response = await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(timeoutMs) });
    return response.ok ? undefined : `${url} answered HTTP ${response.status}`;
  } catch (thrown) {
    const error = thrown as Error & { cause?: { message?: string } };
    return `${url} did not answer (${error.cause?.message ?? error.message})`;
  }
}

/** Downloads `file` into `dir` and checks its sha256; throws naming the file and both hashes. */
async function download(server: string, file: DistFile, dir: string): Promise<string> {
  const url = `${server}${file.path}`;
  let bytes: Buffer;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(600_000) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    bytes = Buffer.from(await response.arrayBuffer());
  } catch (thrown) {
    const error = thrown as Error & { cause?: { message?: string } };
    throw new Error(
      `Could not download ${url} (${error.cause?.message ?? error.message}): rustup's server must answer for the musl stand-ins' fast route; FERROWHEEL_MUSL_STD=build builds the std from Debian's rust-src instead.`,
    );
  }
  const got = sha256(bytes);
  if (got !== file.sha256) {
    throw new Error(
      `${url} has sha256 ${got}, not the pinned ${file.sha256}: it is not the file ferrowheel pins.`,
    );
  }
  const out = path.join(dir, path.basename(file.path));
  writeFileSync(out, bytes);
  return out;
}

/** Unpacks a dist tarball's components' bin, lib and libexec (no docs, no installer) into `prefix`. */
async function unpack(tarball: string, scratch: string, prefix: string): Promise<void> {
  await run('tar', ['-xJf', tarball, '-C', scratch]);
  const top = path.join(scratch, path.basename(tarball, '.tar.xz'));
  const components = readFileSync(path.join(top, 'components'), 'utf8').split('\n').filter(Boolean);
  for (const component of components) {
    for (const part of ['bin', 'lib', 'libexec']) {
      const from = path.join(top, component, part);
      if (existsSync(from))
        cpSync(from, path.join(prefix, part), { recursive: true, verbatimSymlinks: true });
    }
  }
  rmSync(top, { recursive: true, force: true });
}

/** Writes the layer's tarball to `out`: `layer`'s files from `server`, under /usr/local/rust. */
export async function makeRustDistLayer(
  out: string,
  layer: RustDistLayer,
  server = RUST_DIST_SERVER,
): Promise<void> {
  const staging = mkdtempSync(`${out}.staging-`);
  const scratch = mkdtempSync(`${out}.download-`);
  try {
    const tarballs = await Promise.all(layer.files.map((f) => download(server, f, scratch)));
    const prefix = path.join(staging, 'usr/local/rust');
    for (const tarball of tarballs) await unpack(tarball, scratch, prefix);
    // rustc finds its sysroot from its own real path, so links on PATH are enough; /usr/local/bin
    // comes before Debian's /usr/bin in the stand-ins' PATH.
    mkdirSync(path.join(staging, 'usr/local/bin'), { recursive: true });
    for (const bin of ['cargo', 'rustc']) {
      symlinkSync(`/usr/local/rust/bin/${bin}`, path.join(staging, 'usr/local/bin', bin));
    }
    await tarLayer(staging, out);
  } finally {
    rmSync(staging, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The URL of a layer's first file (rustc), which the route probe asks for. */
export function probeUrl(layer: RustDistLayer, server = RUST_DIST_SERVER): string {
  return `${server}${layer.files[0]?.path ?? '/'}`;
}
