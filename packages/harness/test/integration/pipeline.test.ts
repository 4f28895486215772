import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { runPipeline } from '../../src/pipeline-run.js';
import { example } from '../../src/workdirs.js';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** examples/mixed copied into a fresh directory under the system temp dir. */
function mixedOutsideRepo(): string {
  const base = mkdtempSync(path.join(tmpdir(), 'ferrowheel-pipeline-'));
  made.push(base);
  const dir = path.join(base, 'mixed');
  cpSync(example('mixed'), dir, {
    recursive: true,
    filter: (src) => !['target', 'dist', '.venv', '__pycache__'].includes(path.basename(src)),
  });
  return dir;
}

const pipeline = runPipeline;

function reportOf(lines: string[]): string {
  const last = lines.at(-1) ?? '';
  expect(last).toMatch(/^report: .*report\.html$/);
  const file = last.slice('report: '.length);
  expect(existsSync(file)).toBe(true);
  expect(existsSync(file.replace(/\.html$/, '.md'))).toBe(true);
  return readFileSync(file, 'utf8');
}

describe('npm run pipeline on a project outside the repository', () => {
  it('builds, tests, publishes, installs from the index and imports examples/mixed (docker engine as the machine has it)', async () => {
    const dir = mixedOutsideRepo();
    const { code, out, lines } = await pipeline([dir, '--no-sdist']);
    if (code !== 0) throw new Error(`pipeline failed (exit ${code}):\n${out}`);
    // The runner protocol is rendered, never printed raw.
    expect(out).not.toMatch(/^\s*::/m);
    expect(out).not.toContain('add-mask');
    expect(out).toMatch(/^ {2}build: on the host \(/m);
    for (const step of ['setup-rust', 'setup-maturin', 'build', 'test', 'publish']) {
      expect(out).toMatch(new RegExp(`^✓ ${step} \\d+\\.\\d s$`, 'm'));
    }
    expect(out).toMatch(/^ {2}published to http:\/\/127\.0\.0\.1:\d+\/simple\/$/m);
    expect(out).toMatch(
      /installed mixed==0\.2\.0 from http:\/\/127\.0\.0\.1:\d+\/simple\/ into a fresh venv; import mixed\._core works/,
    );
    const html = reportOf(lines);
    // The actions' job summaries, combined: build's wheel table and publish's upload table.
    expect(html).toContain('<h2>build</h2>');
    expect(html).toContain('<h2>publish</h2>');
    expect(html).toMatch(/<td><code>mixed-0\.2\.0-[^<]+\.whl<\/code>/);
  }, 600_000);

  it('stops at the failing step of a broken copy, exits 1, names it, and claims nothing after it (no docker engine)', async () => {
    const dir = mixedOutsideRepo();
    const lib = path.join(dir, 'src', 'lib.rs');
    writeFileSync(lib, readFileSync(lib, 'utf8').replace(/\bfn /, 'fn broken(( '));
    const { code, out, lines } = await pipeline([dir, '--no-sdist'], {
      DOCKER_HOST: `unix://${path.join(tmpdir(), 'ferrowheel-no-docker.sock')}`,
    });
    expect(code).toBe(1);
    expect(out).toContain('build: on the host (no docker engine answers)');
    expect(out).toMatch(/^✗ build \d+\.\d s failed$/m);
    // The compiler's error, with its file and line, relative to where the command was run.
    expect(out).toMatch(/error: \S*mixed\/src\/lib\.rs:\d+:\d+: this file contains an unclosed delimiter/);
    expect(out).toContain('(the failing group, in full)');
    expect(out).toMatch(/^error: build failed: /m);
    for (const step of ['test', 'publish', 'install from the index']) {
      expect(out).toMatch(new RegExp(`^ {2}· ${step} +not run`, 'm'));
    }
    expect(out).not.toContain('published to');
    expect(out).not.toContain('import mixed');
    const html = reportOf(lines);
    expect(html).toContain('Failed at build:');
  }, 600_000);

  it('refuses a directory that is not a maturin project, and an unknown option, with exit code 2', async () => {
    const notProject = mkdtempSync(path.join(tmpdir(), 'ferrowheel-not-a-project-'));
    made.push(notProject);
    const a = await pipeline([notProject]);
    expect(a.code).toBe(2);
    expect(a.out).toContain(`error: ${notProject} has no pyproject.toml.`);
    const b = await pipeline(['--containr', 'off']);
    expect(b.code).toBe(2);
    expect(b.out).toContain('error: Unknown option --containr.');
    expect(b.out).toContain('Usage: npm run pipeline');
  }, 60_000);
});
