/**
 * A layer holding the host's Rust toolchain (rustc, cargo, the host target's std) under
 * /usr/local/rust, with cargo and rustc on PATH: the container tests build in an image whose
 * toolchain is the host's, so the cargo cache the build action saves on the host is valid inside
 * (rustup cannot be relied on to download here, and Debian's cargo may be older than the
 * examples' lockfiles need).
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { tarLayer } from './layer-tar.js';

const run = promisify(execFile);

async function hostToolchain(): Promise<{ sysroot: string; verbose: string; host: string }> {
  const sysroot = (await run('rustc', ['--print', 'sysroot'])).stdout.trim();
  const verbose = (await run('rustc', ['-vV'])).stdout.trim();
  const host = /^host: (\S+)/m.exec(verbose)?.[1] ?? 'x86_64-unknown-linux-gnu';
  return { sysroot, verbose, host };
}

/** What the layer's key must see of the toolchain: `rustc -vV`. */
export async function hostToolchainKey(): Promise<string> {
  return (await hostToolchain()).verbose;
}

/** Copies the parts a build uses (no docs, no sources) under `<root>/usr/local/rust`. */
function copyToolchain(root: string, toolchain: { sysroot: string; host: string }): void {
  const dest = path.join(root, 'usr/local/rust');
  for (const bin of ['cargo', 'rustc']) {
    cpSync(path.join(toolchain.sysroot, 'bin', bin), path.join(dest, 'bin', bin));
  }
  const lib = path.join(toolchain.sysroot, 'lib');
  for (const f of readdirSync(lib).filter((f) => f.endsWith('.so') || f.includes('.so.'))) {
    cpSync(path.join(lib, f), path.join(dest, 'lib', f), { verbatimSymlinks: true });
  }
  cpSync(path.join(lib, 'rustlib', toolchain.host), path.join(dest, 'lib/rustlib', toolchain.host), {
    recursive: true,
    verbatimSymlinks: true,
  });
  // rustc finds its sysroot from its own real path, so symlinks on PATH are enough.
  mkdirSync(path.join(root, 'usr/local/bin'), { recursive: true });
  for (const bin of ['cargo', 'rustc']) {
    symlinkSync(`/usr/local/rust/bin/${bin}`, path.join(root, 'usr/local/bin', bin));
  }
}

/** Writes the layer's tarball to `out`. */
export async function makeHostToolchainLayer(out: string): Promise<void> {
  const toolchain = await hostToolchain();
  const staging = mkdtempSync(`${out}.staging-`);
  try {
    copyToolchain(staging, toolchain);
    await tarLayer(staging, out);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
