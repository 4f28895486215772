/**
 * The musl stand-ins' two routes to a std: which one is taken (musl-std-route.ts) in every case
 * the choice has, and the fast route's layer maker (rust-dist.ts) downloading, checking and
 * unpacking real dist-shaped tarballs from a local server standing in for rustup's (the real
 * server's files are used by linux-legs.test.ts when it answers).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { sha256 } from '@ferrowheel/kit/files';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chooseMuslStdRoute, type MuslStdRoute, type RouteFacts } from '../../src/images/musl-std-route.js';
import { distServerProblem, makeRustDistLayer, type RustDistLayer } from '../../src/images/rust-dist.js';
import { freshDir } from '../../src/workdirs.js';

/** The facts of a target, with what each question was asked noted in `asked`. */
function facts(over: Partial<RouteFacts> & { have?: MuslStdRoute[]; problem?: string }): {
  facts: RouteFacts;
  asked: string[];
} {
  const asked: string[] = [];
  return {
    asked,
    facts: {
      target: 'x86_64-unknown-linux-musl',
      forced: undefined,
      distAvailable: true,
      cached: async (route) => {
        asked.push(`cached ${route}`);
        return (over.have ?? []).includes(route);
      },
      serverProblem: async () => {
        asked.push('server');
        return over.problem;
      },
      ...over,
    },
  };
}

describe('the route to a musl std', () => {
  it('unset, nothing built, the server answers: the fast route, and the log says why', async () => {
    const { facts: f, asked } = facts({});
    expect(await chooseMuslStdRoute(f)).toEqual({
      ok: true,
      value: { route: 'dist', why: "rustup's server answers: Rust's official toolchain (fast route)" },
    });
    expect(asked).toEqual(['cached dist', 'cached build', 'server']);
  });

  it('unset, the server cannot be had: the slow route, with the reason', async () => {
    const { facts: f } = facts({ problem: 'https://static.rust-lang.org/x did not answer (ECONNREFUSED)' });
    expect(await chooseMuslStdRoute(f)).toEqual({
      ok: true,
      value: {
        route: 'build',
        why: "rustup's server cannot be had (https://static.rust-lang.org/x did not answer (ECONNREFUSED)): the std is compiled from Debian's rust-src (slow route: 6 to 14 minutes, once per machine)",
      },
    });
  });

  it('unset: a stand-in the engine has is used without asking the server, the fast one first', async () => {
    const both = facts({ have: ['dist', 'build'] });
    expect(await chooseMuslStdRoute(both.facts)).toMatchObject({ ok: true, value: { route: 'dist' } });
    expect(both.asked).toEqual(['cached dist']);
    const slow = facts({ have: ['build'] });
    expect(await chooseMuslStdRoute(slow.facts)).toMatchObject({
      ok: true,
      value: { route: 'build', why: 'the slow route, already built' },
    });
    expect(slow.asked).toEqual(['cached dist', 'cached build']);
  });

  it('a target Rust ships no std for: the slow route, nothing asked', async () => {
    const { facts: f, asked } = facts({ target: 'i686-unknown-linux-musl', distAvailable: false });
    expect(await chooseMuslStdRoute(f)).toMatchObject({ ok: true, value: { route: 'build' } });
    expect(asked).toEqual([]);
  });

  it('FERROWHEEL_MUSL_STD forces a route, asking nothing (the server is not asked for dist either)', async () => {
    for (const route of ['build', 'dist'] as const) {
      const { facts: f, asked } = facts({ forced: route, problem: 'down' });
      expect(await chooseMuslStdRoute(f)).toMatchObject({ ok: true, value: { route } });
      expect(asked).toEqual([]);
    }
    const empty = facts({ forced: '' });
    expect(await chooseMuslStdRoute(empty.facts)).toMatchObject({ ok: true, value: { route: 'dist' } });
  });

  it('a bad FERROWHEEL_MUSL_STD, and dist for a target Rust ships no std for: the cause and the fix', async () => {
    expect(await chooseMuslStdRoute(facts({ forced: 'fast' }).facts)).toEqual({
      ok: false,
      problem:
        "FERROWHEEL_MUSL_STD is \"fast\", which is not a route: set it to dist (Rust's official toolchain from rustup's server) or build (a std compiled from Debian's rust-src), or unset it to choose by whether the server answers.",
    });
    const none = facts({ forced: 'dist', target: 'armv7-unknown-linux-musleabihf', distAvailable: false });
    expect(await chooseMuslStdRoute(none.facts)).toEqual({
      ok: false,
      problem:
        "FERROWHEEL_MUSL_STD=dist, but Rust ships no std for armv7-unknown-linux-musleabihf (rustup's manifest has none): unset FERROWHEEL_MUSL_STD, or set it to build, to compile one from Debian's rust-src.",
    });
  });
});

/** A dist-shaped tarball (`<name>/components`, `<name>/<component>/{bin,lib,share}`) and its sha256. */
function distTarball(dir: string, name: string, component: string, files: Record<string, string>): Buffer {
  const top = path.join(dir, 'src', name);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(top, component, file)), { recursive: true });
    writeFileSync(path.join(top, component, file), text);
  }
  writeFileSync(path.join(top, component, 'manifest.in'), 'installer data\n');
  writeFileSync(path.join(top, 'components'), `${component}\n`);
  writeFileSync(path.join(top, 'install.sh'), 'installer\n');
  return execFileSync('tar', ['-cJ', '-C', path.join(dir, 'src'), name], { maxBuffer: 1 << 24 });
}

describe("the fast route's layer (rust-dist.ts), from a local stand-in for rustup's server", () => {
  const served = new Map<string, Buffer>();
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      const body = served.get(req.url ?? '');
      res.writeHead(body ? 200 : 404).end(req.method === 'HEAD' ? undefined : body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('unpacks each component (no docs, no installer files) under /usr/local/rust, rustc and cargo on PATH', async () => {
    const dir = freshDir('rust-dist');
    const rustc = distTarball(dir, 'rustc-9.9.9-x', 'rustc', {
      'bin/rustc': 'rustc\n',
      'lib/librustc_driver.so': 'driver\n',
      'share/doc/README': 'docs\n',
    });
    const std = distTarball(dir, 'rust-std-9.9.9-y', 'rust-std-y', {
      'lib/rustlib/y/lib/libstd.rlib': 'std\n',
    });
    const cargo = distTarball(dir, 'cargo-9.9.9-x', 'cargo', { 'bin/cargo': 'cargo\n' });
    served.set('/dist/rustc-9.9.9-x.tar.xz', rustc);
    served.set('/dist/rust-std-9.9.9-y.tar.xz', std);
    served.set('/dist/cargo-9.9.9-x.tar.xz', cargo);
    const layer: RustDistLayer = {
      kind: 'rust-dist',
      version: '9.9.9',
      files: [
        { path: '/dist/rustc-9.9.9-x.tar.xz', sha256: sha256(rustc) },
        { path: '/dist/cargo-9.9.9-x.tar.xz', sha256: sha256(cargo) },
        { path: '/dist/rust-std-9.9.9-y.tar.xz', sha256: sha256(std) },
      ],
    };
    const out = path.join(dir, 'layer.tar');
    await makeRustDistLayer(out, layer, url);
    const listing = execFileSync('tar', ['-tvf', out], { encoding: 'utf8' });
    const entries = listing.split('\n').filter(Boolean);
    expect(entries.map((e) => e.split(/\s+/).slice(5).join(' '))).toEqual([
      'usr/',
      'usr/local/',
      'usr/local/bin/',
      'usr/local/bin/cargo -> /usr/local/rust/bin/cargo',
      'usr/local/bin/rustc -> /usr/local/rust/bin/rustc',
      'usr/local/rust/',
      'usr/local/rust/bin/',
      'usr/local/rust/bin/cargo',
      'usr/local/rust/bin/rustc',
      'usr/local/rust/lib/',
      'usr/local/rust/lib/librustc_driver.so',
      'usr/local/rust/lib/rustlib/',
      'usr/local/rust/lib/rustlib/y/',
      'usr/local/rust/lib/rustlib/y/lib/',
      'usr/local/rust/lib/rustlib/y/lib/libstd.rlib',
    ]);
    expect(entries.every((e) => e.includes(' 0/0 '))).toBe(true);
    const unpacked = freshDir('rust-dist-unpacked');
    execFileSync('tar', ['-xf', out, '-C', unpacked]);
    expect(readlinkSync(path.join(unpacked, 'usr/local/bin/rustc'))).toBe('/usr/local/rust/bin/rustc');
  });

  it('a file whose sha256 is not the pinned one, or that is missing: nothing is made, the error names it', async () => {
    const dir = freshDir('rust-dist');
    served.set('/dist/changed.tar.xz', Buffer.from('not the pinned file'));
    const bad: RustDistLayer = {
      kind: 'rust-dist',
      version: '9.9.9',
      files: [{ path: '/dist/changed.tar.xz', sha256: '0'.repeat(64) }],
    };
    await expect(makeRustDistLayer(path.join(dir, 'a.tar'), bad, url)).rejects.toThrow(
      `${url}/dist/changed.tar.xz has sha256 ${sha256('not the pinned file')}, not the pinned ${'0'.repeat(64)}: it is not the file ferrowheel pins.`,
    );
    const missing = { ...bad, files: [{ path: '/dist/missing.tar.xz', sha256: '0'.repeat(64) }] };
    await expect(makeRustDistLayer(path.join(dir, 'b.tar'), missing, url)).rejects.toThrow(
      `Could not download ${url}/dist/missing.tar.xz (HTTP 404): rustup's server must answer for the musl stand-ins' fast route; FERROWHEEL_MUSL_STD=build builds the std from Debian's rust-src instead.`,
    );
    expect(execFileSync('ls', ['-A', dir], { encoding: 'utf8' })).toBe('');
  });

  it('the probe: undefined when the file is there, else what went wrong', async () => {
    served.set('/dist/there.tar.xz', Buffer.from('x'));
    expect(await distServerProblem(`${url}/dist/there.tar.xz`)).toBeUndefined();
    expect(await distServerProblem(`${url}/dist/gone.tar.xz`)).toBe(
      `${url}/dist/gone.tar.xz answered HTTP 404`,
    );
    // A port nothing listens on (the server's, once closed, is not reused this quickly).
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await distServerProblem(`http://127.0.0.1:${port}/x`)).toMatch(
      new RegExp(`^http://127\\.0\\.0\\.1:${port}/x did not answer \\(.*ECONNREFUSED.*\\)$`),
    );
  });
});
