/**
 * Running this repository's workflows for real with nektos/act (installed by
 * scripts/bootstrap.sh into .tools/bin), in host mode, with GitHub's remote actions replaced by
 * the stand-ins in test/fixtures/act/ and act's own artifact server.
 *
 * act 0.2.89 rejects `uses: $/<path>` ("Expected format {org}/{repo}[/path]@ref"), so a run takes
 * a temporary git copy of the repository in which every `$/<path>` became
 * `ferrowheel/ferrowheel/<path>@<the copy's commit>`, and serves that name from the copy itself
 * (`--local-repository`). It is the same revision the line names on GitHub — the repository and
 * commit of the workflow file that holds it — so the substitution is faithful, and like `$/` it
 * needs no checkout (`./<path>` would not do: act reads it from the job's workspace).
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { listZipEntries, readZipEntry } from '@ferrowheel/kit/zip';
import { repoRoot, sharedDir } from './workdirs.js';

export const actBin = path.join(repoRoot, '.tools', 'bin', 'act');
export const SELF = 'ferrowheel/ferrowheel';

/** `uses: $/<path>` → `uses: <repository>/<path>@<ref>`, on `uses:` lines only. */
export function rewriteSelfReferences(text: string, repository: string, ref: string): string {
  return text.replace(
    /^(\s*(?:-\s+)?uses:\s*)\$\/([A-Za-z0-9._/-]+)/gm,
    (_all, prefix: string, target: string) => `${prefix}${repository}/${target}@${ref}`,
  );
}

const git = (cwd: string, args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/** A git repository at `dir` holding `files`' current contents, committed; returns the commit. */
export function commitDirectory(dir: string): string {
  git(dir, ['init', '-q']);
  git(dir, ['add', '-A']);
  git(dir, [
    '-c',
    'user.name=ferrowheel tests',
    '-c',
    'user.email=tests@ferrowheel.invalid',
    'commit',
    '-qm',
    'copy',
  ]);
  return git(dir, ['rev-parse', 'HEAD']);
}

/**
 * A git copy of this repository (what git tracks plus new files it does not ignore, as they are
 * in the working tree — built bundles included) at `dir`, changed by `mutate` before the commit;
 * its workflows' `$/` lines then name `ferrowheel/ferrowheel@<ref>` (default: the copy's commit).
 */
export function copyRepository(dir: string, options: { mutate?: (dir: string) => void; ref?: string } = {}) {
  const files = git(repoRoot, ['ls-files', '-co', '--exclude-standard', '-z'])
    .split('\0')
    .filter((f) => f !== '');
  for (const file of files) {
    try {
      cpSync(path.join(repoRoot, file), path.join(dir, file), { dereference: false });
    } catch {
      // Deleted in the working tree but still tracked: not part of the copy.
    }
  }
  options.mutate?.(dir);
  const sha = commitDirectory(dir);
  // act takes github.repository from the origin remote.
  git(dir, ['remote', 'add', 'origin', `https://github.com/${SELF}.git`]);
  const ref = options.ref ?? sha;
  const workflows = path.join(dir, '.github', 'workflows');
  for (const name of readdirSync(workflows)) {
    const file = path.join(workflows, name);
    writeFileSync(file, rewriteSelfReferences(readFileSync(file, 'utf8'), SELF, ref));
  }
  return { dir, sha, ref };
}

/** The stand-in actions, by the repository they replace. */
const STAND_INS: Record<string, string> = {
  'actions/setup-python': 'setup-python',
  'actions/upload-artifact': 'upload-artifact',
  'actions/download-artifact': 'download-artifact',
  'actions/attest': 'attest',
  'docker/setup-qemu-action': 'setup-qemu',
};

/**
 * `--local-repository` arguments serving each stand-in under the exact `owner/repo@sha` the
 * workflows pin (from test/fixtures/third-party-actions.json); the stand-ins are assembled in
 * `dir` (each gets the shared artifact-service client: act copies an action's directory alone).
 */
export function standInArgs(dir: string): string[] {
  const fixtures = path.join(repoRoot, 'packages', 'harness', 'test', 'fixtures');
  const pins = Object.keys(
    JSON.parse(readFileSync(path.join(fixtures, 'third-party-actions.json'), 'utf8')) as Record<
      string,
      unknown
    >,
  );
  const args: string[] = [];
  for (const pin of pins) {
    const repository = pin.split('@')[0]!;
    const name = STAND_INS[repository];
    // actions/checkout of the repository being run is act's own local copy in host mode.
    if (name === undefined) continue;
    const target = path.join(dir, name);
    cpSync(path.join(fixtures, 'act', name), target, { recursive: true });
    cpSync(path.join(fixtures, 'act', 'shared'), target, { recursive: true });
    args.push('--local-repository', `${pin}=${target}`);
  }
  return args;
}

/**
 * A TCP port free right now, for act's artifact server: its default, 34567, is one port for every
 * act on the machine, so two runs at once (two test files, or two checkouts) collide with
 * "bind: address already in use".
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** One line of `act --json`. */
export interface ActLine {
  job?: string;
  jobID?: string;
  matrix?: Record<string, unknown>;
  step?: string;
  stepResult?: string;
  jobResult?: string;
  msg?: string;
  level?: string;
  /** When act logged it (RFC 3339, whole seconds). */
  time?: string;
  /** An action step's stage: `Pre`, `Main` or `Post`. */
  stage?: string;
}

export interface ActRun {
  code: number;
  seconds: number;
  lines: ActLine[];
  stderr: string;
}

/** Whether a line belongs to the job whose display name ends with `name` and whose matrix has `matrix`. */
export function lineOfJob(line: ActLine, name: string, matrix: Record<string, unknown> = {}): boolean {
  // act names a matrix's legs `<name>-1`, `<name>-2`... when it runs more than one.
  if (!line.job?.trim().replace(/-\d+$/, '').endsWith(name)) return false;
  return Object.entries(matrix).every(([k, v]) => line.matrix?.[k] === v);
}

/**
 * Each step's result in one job (one matrix leg): act prints "Job failed" for every leg of a
 * matrix once one fails (act 0.2.89), so a leg's own result is read from its steps.
 */
export function stepResults(
  run: ActRun,
  job: string,
  matrix: Record<string, unknown> = {},
): Record<string, string> {
  const results: Record<string, string> = {};
  for (const line of run.lines) {
    // A step's pre and post stages carry its name too: the post stage of a failed "Build wheels"
    // (saving the cache) succeeds, and would hide the step's own failure.
    if (line.stage === 'Pre' || line.stage === 'Post') continue;
    if (line.stepResult && line.step && lineOfJob(line, job, matrix)) results[line.step] = line.stepResult;
  }
  return results;
}

/** Everything a job printed, one message per line. */
export function jobOutput(run: ActRun, job: string, matrix: Record<string, unknown> = {}): string {
  return run.lines
    .filter((l) => lineOfJob(l, job, matrix) && l.msg !== undefined)
    .map((l) => l.msg)
    .join('\n');
}

/** A job's (one matrix leg's) wall time: from its first to its last logged line, in seconds. */
export function jobSeconds(run: ActRun, job: string, matrix: Record<string, unknown> = {}): number {
  const times = run.lines
    .filter((l) => lineOfJob(l, job, matrix) && l.time !== undefined)
    .map((l) => Date.parse(l.time!));
  return times.length === 0 ? 0 : (Math.max(...times) - Math.min(...times)) / 1000;
}

/**
 * Runs act with `--json` in `cwd`, host mode, one job at a time (act#2390). Its output is kept in
 * `.work/act-logs/<name>.jsonl` for diagnosing a failed test.
 */
export function runAct(
  name: string,
  cwd: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<ActRun> {
  const started = Date.now();
  const fullArgs = [
    ...args,
    '--json',
    '-P',
    'ubuntu-latest=-self-hosted',
    '--concurrent-jobs',
    '1',
    '--action-cache-path',
    sharedDir('act-cache'),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(actBin, fullArgs, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      writeFileSync(path.join(sharedDir('act-logs'), `${name}.jsonl`), `${stdout}\n${stderr}`);
      const lines: ActLine[] = [];
      for (const text of stdout.split('\n')) {
        if (!text.startsWith('{')) continue;
        try {
          lines.push(JSON.parse(text) as ActLine);
        } catch {
          // A partial line: ignore.
        }
      }
      resolve({ code: code ?? -1, seconds: (Date.now() - started) / 1000, lines, stderr });
    });
  });
}

/** The files of every artifact act's artifact server (`--artifact-server-path`) holds: artifact → [file, bytes][]. */
export function artifactFiles(artifacts: string): Map<string, [string, Buffer][]> {
  const found = new Map<string, [string, Buffer][]>();
  for (const run of readdirSync(artifacts)) {
    for (const name of readdirSync(path.join(artifacts, run))) {
      const zip = path.join(artifacts, run, name, `${name}.zip`);
      const bytes = readFileSync(zip);
      found.set(
        name,
        listZipEntries(bytes).map((e) => [e.name, readZipEntry(bytes, e)] as [string, Buffer]),
      );
    }
  }
  return found;
}
