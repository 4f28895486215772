/**
 * The terminal rendering of workflow commands, on logs recorded from the real bundles (by
 * `npm run pipeline`): build failing on a Rust syntax error (cargo's colours included), publish
 * (which masks the index password and the Basic-auth header), test (groups only).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import {
  CommandRenderer,
  colorEnabled,
  Masker,
  parseCommand,
  renderCommands,
  unescapeProperty,
} from '../src/render-commands.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'action-logs');
const recorded = (name: string) => readFileSync(path.join(fixtures, name), 'utf8');
const ESC = '\u001b';

describe('groups', () => {
  const log = recorded('test.log');

  it('become headings, collapsed to one line each unless verbose', () => {
    const out = renderCommands(log);
    expect(out).toContain('▸ Interpreter\n');
    expect(out).toContain('▸ pytest: setup-0.1.0-cp311-cp311-manylinux_2_34_x86_64.whl\n');
    // pytest's own output is inside the group: hidden when collapsed, shown (indented) with verbose.
    expect(out).not.toMatch(/passed in/);
    const verbose = renderCommands(log, { verbose: true });
    expect(verbose).toContain('▾ Interpreter\n');
    expect(verbose).toMatch(/\n {2}.*passed in/);
    expect(out.split('\n').length).toBeLessThan(verbose.split('\n').length);
  });

  it('show the failing group in full when the step fails', () => {
    const log = recorded('build-failed.log');
    const ok = renderCommands(log);
    expect(ok).not.toContain('Compiling pyo3');
    const failed = renderCommands(log, { failed: true });
    expect(failed).toContain('(the failing group, in full)');
    expect(failed).toContain('Compiling pyo3');
    // Only the group that failed: the cache restore before it stays one line.
    expect(failed).not.toContain('Resolved Keys');
  });

  it('never print a command line the runner consumes', () => {
    for (const name of ['build-failed.log', 'publish.log', 'test.log']) {
      for (const verbose of [false, true]) {
        const out = renderCommands(recorded(name), { verbose, failed: true });
        expect(out).not.toMatch(/^\s*::/m);
      }
    }
  });
});

describe('debug lines', () => {
  it('are hidden unless verbose', () => {
    const log = recorded('build-failed.log');
    expect(log).toContain('::debug::Cache service version: v1');
    expect(renderCommands(log, { failed: true })).not.toContain('Cache service version');
    expect(renderCommands(log, { verbose: true })).toContain('debug: Cache service version: v1');
  });
});

describe('errors and warnings', () => {
  const log = recorded('build-failed.log');

  it('show kind, file:line:col and message; in colour only when asked', () => {
    const plain = renderCommands(log);
    expect(plain).toContain(
      'error: ../../../../../tmp/brk/mixed/src/lib.rs:14:3: this file contains an unclosed delimiter',
    );
    expect(plain).toContain('error: maturin build failed with exit code 1.');
    const coloured = renderCommands(log, { color: true });
    expect(coloured).toContain(`${ESC}[31m`);
    expect(coloured).toContain(`${ESC}[1m../../../../../tmp/brk/mixed/src/lib.rs:14:3`);
  });

  it('stay visible inside a collapsed group', () => {
    const out = renderCommands(log);
    const heading = out.indexOf('▸ maturin build');
    expect(heading).toBeGreaterThan(-1);
    expect(out.indexOf('unclosed delimiter')).toBeGreaterThan(heading);
  });

  it('show a file through showFile (the pipeline: relative to the user)', () => {
    const out = renderCommands(log, { showFile: (f) => path.basename(f) });
    expect(out).toContain('error: lib.rs:14:3: this file contains an unclosed delimiter');
  });

  it('are collected, decoded, for the caller', () => {
    const renderer = new CommandRenderer({ write: () => {} });
    renderer.lines(log);
    expect(renderer.annotations.map((a) => [a.kind, a.location])).toEqual([
      ['error', '../../../../../tmp/brk/mixed/src/lib.rs:14:3'],
      ['error', undefined],
    ]);
  });
});

describe('escaped properties and messages', () => {
  it('are decoded', () => {
    expect(unescapeProperty('a%3Ab%2Cc%25d%0Ae')).toBe('a:b,c%d\ne');
    const command = parseCommand(
      '::warning file=src/a%2Cb.rs,line=3,title=Input%3A bad%25::first%0Asecond 100%25',
    );
    expect(command).toEqual({
      name: 'warning',
      properties: { file: 'src/a,b.rs', line: '3', title: 'Input: bad%' },
      message: 'first\nsecond 100%',
    });
    const out = renderCommands(
      '::warning file=src/a%2Cb.rs,line=3,title=Input%3A bad%25::first%0Asecond 100%25\n',
    );
    expect(out).toBe('warning: src/a,b.rs:3: Input: bad%: first\nsecond 100%\n');
  });

  it('leave a line that only looks like a command alone', () => {
    expect(renderCommands('::not a command\n:: neither::\n')).toBe('::not a command\n:: neither::\n');
    expect(renderCommands('::made-up-command::shown as is\n')).toBe('::made-up-command::shown as is\n');
  });

  it('are not interpreted between stop-commands and its token', () => {
    const out = renderCommands('::stop-commands::tok123\n::error::not an error\n::tok123::\n::error::real\n');
    expect(out).toBe('::error::not an error\nerror: real\n');
  });
});

describe('masking', () => {
  const log = recorded('publish.log');
  const secrets = [...log.matchAll(/^::add-mask::(.*)$/gm)].map((m) => m[1]!);

  it('hides every masked value everywhere it would be printed, and never prints the mask command', () => {
    expect(secrets).toHaveLength(2);
    // The recorded log never echoes the secrets; add the places a leak could show up in.
    const leaks = [
      `plain text with ${secrets[0]} inside`,
      `::group::Upload as ${secrets[0]}`,
      `Authorization: Basic ${secrets[1]}`,
      `::debug::token=${secrets[0]}`,
      `::error file=${secrets[0]}.txt,title=${secrets[0]}::bad ${secrets[0]}`,
      `::warning::${encodeURIComponent(secrets[0]!)}`,
      '::endgroup::',
    ];
    for (const verbose of [false, true]) {
      const out = renderCommands(`${log}${leaks.join('\n')}\n`, { verbose, failed: true });
      for (const secret of secrets) expect(out).not.toContain(secret);
      expect(out).not.toContain('add-mask');
      expect(out).toContain('plain text with *** inside');
      expect(out).toContain('Authorization: Basic ***');
      expect(out).toContain('error: ***.txt: ***: bad ***');
    }
  });

  it('keeps one masker across steps, so a later step cannot print an earlier secret', () => {
    const masker = new Masker();
    let out = '';
    const write = (t: string) => {
      out += t;
    };
    new CommandRenderer({ write, masker }).lines(log);
    new CommandRenderer({ write, masker }).lines(`next step prints ${secrets[0]}\n`);
    expect(out).toContain('next step prints ***');
    expect(masker.apply(`multi\n${secrets[1]}`)).toBe('multi\n***');
  });

  it('masks each line of a multi-line secret, and ignores blank ones', () => {
    const masker = new Masker();
    masker.add('line-one\nline-two');
    masker.add('   ');
    expect(masker.apply('a line-two b line-one')).toBe('a *** b ***');
    expect(masker.apply('   spaces stay   ')).toBe('   spaces stay   ');
  });
});

describe('colour', () => {
  it('is off when the stream is not a TTY, or NO_COLOR is set', () => {
    expect(colorEnabled({ isTTY: true }, {})).toBe(true);
    expect(colorEnabled({ isTTY: false }, {})).toBe(false);
    expect(colorEnabled({}, {})).toBe(false);
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    // no-color.org: an empty NO_COLOR does not count.
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
  });

  it('off means no escape sequence at all, cargo’s own colours included', () => {
    const log = recorded('build-failed.log');
    expect(log).toContain(ESC);
    expect(renderCommands(log, { verbose: true, failed: true })).not.toContain(ESC);
  });
});
