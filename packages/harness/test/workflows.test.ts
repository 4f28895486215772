/**
 * The workflows, checked as data and, for the planning logic, run for real: the reusable
 * workflow runs the actions of its own revision, passes only inputs the actions declare, keeps
 * `${{ }}` out of `run:` scripts, gives every job explicit permissions, and this repository's
 * gate job needs every other job.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { readActionMetadata } from '../src/action-metadata.js';
import { parseCommandFile } from '../src/run-action.js';
import { freshDir, repoRoot } from '../src/workdirs.js';

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  uses?: string;
  needs?: string | string[];
  permissions?: unknown;
  steps?: Step[];
  with?: Record<string, unknown>;
}
interface Workflow {
  on: Record<string, { inputs?: Record<string, unknown> }>;
  permissions?: unknown;
  jobs: Record<string, Job>;
}

const workflowsDir = path.join(repoRoot, '.github', 'workflows');
const load = (name: string): Workflow =>
  parse(readFileSync(path.join(workflowsDir, name), 'utf8')) as Workflow;
const workflows = ['build-wheels.yml', 'ci.yml'];

describe.each(workflows)('%s', (name) => {
  const workflow = load(name);

  it('sets least-privilege permissions at the top and on every job', () => {
    expect(workflow.permissions).toEqual({});
    for (const [id, job] of Object.entries(workflow.jobs)) {
      expect({ id, permissions: job.permissions }).toEqual({ id, permissions: expect.anything() });
    }
  });

  it('never expands ${{ }} inside a run: script (data goes through env:)', () => {
    for (const job of Object.values(workflow.jobs)) {
      for (const step of job.steps ?? []) {
        if (step.run !== undefined)
          expect({ step: step.name, run: step.run.includes('${{') }).toEqual({ step: step.name, run: false });
      }
    }
  });

  it('pins third-party actions to a full commit SHA', () => {
    for (const job of Object.values(workflow.jobs)) {
      for (const step of job.steps ?? []) {
        if (step.uses && !step.uses.startsWith('./'))
          expect(step.uses).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
      }
    }
  });

  it('passes each ferrowheel action only inputs it declares', () => {
    for (const job of Object.values(workflow.jobs)) {
      for (const step of job.steps ?? []) {
        const match = /^\.\/(?:\.ferrowheel\/)?actions\/([\w-]+)$/.exec(step.uses ?? '');
        if (!match) continue;
        const declared = Object.keys(readActionMetadata(match[1]!).inputs);
        for (const input of Object.keys(step.with ?? {})) {
          expect({ action: match[1], input, declared: declared.includes(input) }).toEqual({
            action: match[1],
            input,
            declared: true,
          });
        }
      }
    }
  });
});

describe('build-wheels.yml runs the actions of its own revision', () => {
  const workflow = load('build-wheels.yml');

  it('never uses the caller-relative ./actions/ nor a floating ferrowheel ref', () => {
    for (const job of Object.values(workflow.jobs)) {
      for (const step of job.steps ?? []) {
        expect(step.uses ?? '').not.toMatch(/^\.\/actions\//);
        expect(step.uses ?? '').not.toMatch(/^ferrowheel\/ferrowheel\//);
      }
    }
  });

  it('checks ferrowheel out at the planned revision before any job uses its actions', () => {
    for (const [id, job] of Object.entries(workflow.jobs)) {
      const steps = job.steps ?? [];
      const firstUse = steps.findIndex((s) => s.uses?.startsWith('./.ferrowheel/'));
      if (firstUse < 0) continue;
      const checkout = steps.findIndex(
        (s) =>
          s.uses?.startsWith('actions/checkout@') &&
          s.with?.path === '.ferrowheel' &&
          s.with?.repository === '${{ needs.plan.outputs.ferrowheel-repository }}' &&
          s.with?.ref === '${{ needs.plan.outputs.ferrowheel-ref }}',
      );
      expect({ id, checkoutBeforeUse: checkout >= 0 && checkout < firstUse }).toEqual({
        id,
        checkoutBeforeUse: true,
      });
      expect([job.needs].flat()).toContain('plan');
    }
  });
});

describe("build-wheels.yml's plan step (run for real with python3)", () => {
  const workflow = load('build-wheels.yml');
  const step = workflow.jobs.plan!.steps!.find((s) => s.id === 'plan')!;
  const script = /python3 - <<'PY'\n([\s\S]*?)\nPY/.exec(step.run!)![1]!;

  function plan(env: Record<string, string>, callerWorkflow?: string) {
    const dir = freshDir('plan');
    const checkout = path.join(dir, 'caller');
    mkdirSync(path.join(checkout, '.github', 'workflows'), { recursive: true });
    if (callerWorkflow !== undefined)
      writeFileSync(path.join(checkout, '.github', 'workflows', 'release.yml'), callerWorkflow);
    const output = path.join(dir, 'output');
    writeFileSync(output, '');
    const fullEnv = {
      PATH: process.env.PATH ?? '',
      PLATFORMS: 'linux macos windows',
      PYTHON_VERSIONS: '3.9 3.13',
      ARTIFACT_PREFIX: 'wheels',
      FERROWHEEL_REF: '',
      CALLER_WORKFLOW_REF: 'acme/fastthing/.github/workflows/release.yml@refs/heads/main',
      CALLER_REPOSITORY: 'acme/fastthing',
      CALLER_SHA: 'c0ffee',
      CALLER_CHECKOUT: checkout,
      GITHUB_OUTPUT: output,
      ...env,
    };
    try {
      execFileSync('python3', ['-c', script], { env: fullEnv, stdio: 'pipe' });
    } catch (thrown) {
      return { error: String((thrown as { stdout: Buffer }).stdout) };
    }
    return { outputs: parseCommandFile(readFileSync(output, 'utf8')) };
  }

  const remoteCaller =
    'jobs:\n  wheels:\n    uses: ferrowheel/ferrowheel/.github/workflows/build-wheels.yml@v1.2.0\n';

  it('finds the revision in the caller workflow that called it', () => {
    const { outputs } = plan({}, remoteCaller);
    expect(outputs?.['ferrowheel-repository']).toBe('ferrowheel/ferrowheel');
    expect(outputs?.['ferrowheel-ref']).toBe('v1.2.0');
    expect(outputs?.['artifact-pattern']).toBe('wheels-*');
  });
  it('follows a fork of ferrowheel too', () => {
    const { outputs } = plan(
      {},
      'jobs:\n  w:\n    uses: "acme/ferrowheel-fork/.github/workflows/build-wheels.yml@0123abc"\n',
    );
    expect(outputs?.['ferrowheel-repository']).toBe('acme/ferrowheel-fork');
    expect(outputs?.['ferrowheel-ref']).toBe('0123abc');
  });
  it("uses the caller's own commit for a local call (this repository's CI)", () => {
    const { outputs } = plan({}, 'jobs:\n  w:\n    uses: ./.github/workflows/build-wheels.yml\n');
    expect(outputs?.['ferrowheel-repository']).toBe('acme/fastthing');
    expect(outputs?.['ferrowheel-ref']).toBe('c0ffee');
  });
  it('takes ferrowheel-ref when the caller cannot be read, and fails clearly without it', () => {
    expect(plan({ FERROWHEEL_REF: 'v1' }).outputs?.['ferrowheel-ref']).toBe('v1');
    expect(plan({}).error).toContain("Pass 'ferrowheel-ref' with the ref you wrote after '@' in 'uses:'.");
  });
  it('plans one build per runner and one test per runner and Python, the sdist once', () => {
    const { outputs } = plan({}, remoteCaller);
    const build = JSON.parse(outputs!['build-matrix']!).include as {
      slug: string;
      sdist: boolean;
      target: string;
    }[];
    expect(build.map((b) => b.slug)).toEqual([
      'linux-x86_64',
      'macos-arm64',
      'macos-x86_64',
      'windows-x86_64',
    ]);
    expect(build.filter((b) => b.sdist).map((b) => b.slug)).toEqual(['linux-x86_64']);
    const test = JSON.parse(outputs!['test-matrix']!).include as unknown[];
    expect(test).toHaveLength(8);
    expect(test).toContainEqual({ runner: 'windows-latest', slug: 'windows-x86_64', python: '3.13' });
  });
  it('gives setup-python the versions one per line (it does not split on spaces)', () => {
    expect(plan({}, remoteCaller).outputs?.['python-version-lines']).toBe('3.9\n3.13');
    const build = workflow.jobs.build!.steps!.find((s) => s.uses?.startsWith('actions/setup-python@'))!;
    expect(build.with?.['python-version']).toBe('${{ needs.plan.outputs.python-version-lines }}');
  });
  it('builds musllinux wheels without testing them on glibc runners', () => {
    const { outputs } = plan({ PLATFORMS: 'linux musllinux' }, remoteCaller);
    const build = JSON.parse(outputs!['build-matrix']!).include as { slug: string; manylinux: string }[];
    expect(build.find((b) => b.slug === 'musllinux-x86_64')?.manylinux).toBe('musllinux_1_2');
    const test = JSON.parse(outputs!['test-matrix']!).include as { slug: string }[];
    expect(test.every((t) => t.slug === 'linux-x86_64')).toBe(true);
  });
  it.each([
    [
      { PLATFORMS: 'linux solaris' },
      "Input 'platforms' has unknown platform 'solaris'. Use any of: linux, linux-aarch64,",
    ],
    [
      { PYTHON_VERSIONS: '3.9 python3.13' },
      "Input 'python-versions' has 'python3.13', not a CPython version like 3.12",
    ],
    [{ PYTHON_VERSIONS: ' ' }, "Inputs 'platforms' and 'python-versions' must not be empty."],
    [{ ARTIFACT_PREFIX: 'my wheels' }, "Input 'artifact-prefix' is 'my wheels'; use letters, digits"],
    [
      { FERROWHEEL_REF: 'v1\nferrowheel-repository=evil/actions' },
      "Input 'ferrowheel-ref' is 'v1\\nferrowheel-repository=evil/actions', not a tag, branch or commit SHA",
    ],
  ])('rejects bad inputs with the fix: %j', (env, message) => {
    expect(plan(env, remoteCaller).error).toContain(message);
  });
});

describe("ci.yml's gate", () => {
  it('needs every other job, so no job can fail unnoticed', () => {
    const workflow = load('ci.yml');
    const gate = workflow.jobs['all-green']!;
    const others = Object.keys(workflow.jobs).filter((id) => id !== 'all-green');
    expect([gate.needs].flat().sort()).toEqual(others.sort());
  });
});
