/**
 * The house rules, checked over every workflow file (found by listing .github/workflows/ and
 * examples/, not from a fixed list): least-privilege permissions, third-party actions pinned to a
 * full SHA with a version comment, no `${{ }}` inside `run:`, every `with:` key declared by its
 * action (or reusable workflow) and every required input given. Then what build-wheels.yml and
 * ci.yml promise in particular. (act-workflows.test.ts runs them.)
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { buildJobName, testJobName } from '../../../actions/plan/src/summary.js';
import { readActionMetadata } from '../src/action-metadata.js';
import { freshDir, repoRoot } from '../src/workdirs.js';
import {
  ferrowheelPath,
  listWorkflowFiles,
  loadWorkflowFile,
  type UsesLine,
  usesLines,
  type Workflow,
} from '../src/workflow-files.js';

/**
 * The inputs each pinned third-party action declares, read from its action.yml at that commit in
 * its own repository (fetched when the pin was chosen).
 */
const thirdParty = JSON.parse(
  readFileSync(path.join(repoRoot, 'packages/harness/test/fixtures/third-party-actions.json'), 'utf8'),
) as Record<string, { version: string; inputs: string[]; required: string[] }>;

const files = listWorkflowFiles();

it('finds the workflow files by listing, the examples included', () => {
  expect(files).toEqual(
    expect.arrayContaining([
      '.github/workflows/build-wheels.yml',
      '.github/workflows/ci.yml',
      'examples/workflows/release.yml',
    ]),
  );
});

/** The inputs a `uses:` target declares, and which of them are required without a default. */
function declaredInputs(line: UsesLine): { inputs: string[]; required: string[] } | undefined {
  const own = ferrowheelPath(line.uses);
  if (own?.startsWith('actions/')) {
    const meta = readActionMetadata(own.slice('actions/'.length));
    return {
      inputs: Object.keys(meta.inputs),
      required: Object.entries(meta.inputs)
        .filter(([, i]) => i.required === true && (i.default === undefined || i.default === ''))
        .map(([n]) => n),
    };
  }
  if (own?.startsWith('.github/workflows/')) {
    const called = loadWorkflowFile(own).workflow.on.workflow_call?.inputs ?? {};
    return {
      inputs: Object.keys(called),
      required: Object.entries(called)
        .filter(([, i]) => i.required === true && i.default === undefined)
        .map(([n]) => n),
    };
  }
  return thirdParty[line.uses];
}

describe.each(files)('%s', (file) => {
  const loaded = loadWorkflowFile(file);
  const { workflow } = loaded;
  const lines = usesLines(loaded);

  it('sets least-privilege permissions: none at the top, explicit on every job', () => {
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

  it('pins every third-party action to a full commit SHA with its version in a comment', () => {
    for (const line of lines) {
      if (ferrowheelPath(line.uses) !== undefined) continue;
      expect(line.uses).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
      expect({ uses: line.uses, comment: line.comment }).toEqual({
        uses: line.uses,
        comment: thirdParty[line.uses]?.version,
      });
    }
  });

  it('passes each action and reusable workflow only inputs it declares, and every required one', () => {
    for (const line of lines) {
      const declared = declaredInputs(line);
      expect({ uses: line.uses, known: declared !== undefined }).toEqual({ uses: line.uses, known: true });
      for (const input of Object.keys(line.with)) {
        expect({ uses: line.uses, input, declared: declared!.inputs.includes(input) }).toEqual({
          uses: line.uses,
          input,
          declared: true,
        });
      }
      for (const input of declared!.required) {
        expect({ uses: line.uses, required: input, given: input in line.with }).toEqual({
          uses: line.uses,
          required: input,
          given: true,
        });
      }
    }
  });

  it("names only this repository's actions and workflows that exist", () => {
    for (const line of lines) {
      const own = ferrowheelPath(line.uses);
      if (own === undefined) continue;
      const target = own.startsWith('actions/') ? path.join(own, 'action.yml') : own;
      expect(() => readFileSync(path.join(repoRoot, target))).not.toThrow();
    }
  });
});

describe('build-wheels.yml runs the actions of its own revision, by construction', () => {
  const file = loadWorkflowFile('.github/workflows/build-wheels.yml');
  const lines = usesLines(file);

  it('reaches every ferrowheel action through $/ — never ./ (the caller), never a ferrowheel ref', () => {
    const own = lines.filter((l) => ferrowheelPath(l.uses) !== undefined);
    expect(own.length).toBeGreaterThan(5);
    for (const line of own) expect(line.uses).toMatch(/^\$\/actions\/[a-z-]+$/);
  });

  it('checks out only the caller project, never ferrowheel, and has no ferrowheel-ref input', () => {
    for (const line of lines.filter((l) => l.uses.startsWith('actions/checkout@'))) {
      expect(line.with.repository).toBeUndefined();
      expect(line.with.ref).toBeUndefined();
    }
    expect(Object.keys(file.workflow.on.workflow_call?.inputs ?? {})).not.toContain('ferrowheel-ref');
    expect(file.text).not.toContain('.ferrowheel/actions');
  });

  it('gives the jobs the names the summary table points at', () => {
    expect(file.workflow.jobs.build!.name).toBe(buildJobName('${{ matrix.platform }}'));
    expect(file.workflow.jobs.test!.name).toBe(testJobName('${{ matrix.platform }}', '${{ matrix.python }}'));
  });

  it('tests every leg whose build succeeded even when other build legs failed', () => {
    const test = file.workflow.jobs.test!;
    // !cancelled(), not always(): a failed build leg does not stop the other legs' tests, a
    // cancelled run (ci.yml cancels superseded PR runs) does.
    expect(test.if).toMatch(/^\$\{\{ !cancelled\(\) && needs\.plan\.result == 'success' && /);
    expect(test.if).not.toMatch(/always\(\)/);
    expect(
      (file.workflow.jobs.build as { strategy?: { 'fail-fast'?: boolean } }).strategy?.['fail-fast'],
    ).toBe(false);
    expect((test as { strategy?: { 'fail-fast'?: boolean } }).strategy?.['fail-fast']).toBe(false);
  });

  it('always ends with the summary job, which needs every other job and gives the wheels output', () => {
    const summary = file.workflow.jobs.summary!;
    expect(summary.if).toBe("${{ !cancelled() && needs.plan.result == 'success' }}");
    expect([summary.needs].flat().sort()).toEqual(['build', 'plan', 'test']);
    const outputs = (
      file.workflow.on.workflow_call as unknown as { outputs: Record<string, { value: string }> }
    ).outputs;
    expect(outputs.wheels?.value).toBe('${{ jobs.summary.outputs.wheels }}');
    expect(outputs['artifact-pattern']?.value).toBe('${{ jobs.plan.outputs.artifact-pattern }}');
  });

  it('overwrites its artifacts, so a re-run of a failed leg can upload under the same name', () => {
    const uploads = lines.filter((l) => l.uses.startsWith('actions/upload-artifact@'));
    expect(uploads.length).toBe(4);
    for (const line of uploads) expect(String(line.with.overwrite)).toBe('true');
  });

  it('tests every leg kind with the test action and every test option, in a container for non-native legs', () => {
    const steps = (
      file.workflow.jobs.test as { steps: { run?: string; uses?: string; with?: Record<string, string> }[] }
    ).steps;
    // No shell of its own: what a leg installs and runs is the test action's, on every leg kind.
    expect(steps.filter((step) => step.run !== undefined)).toEqual([]);
    const tests = lines.filter((l) => l.job === 'test' && ferrowheelPath(l.uses) === 'actions/test');
    expect(tests).toHaveLength(1);
    const test = tests[0]!;
    expect(test.with.container).toBe('${{ matrix.image }}');
    expect(test.with['docker-platform']).toBe('${{ matrix.docker-platform }}');
    // Every workflow input the test action takes reaches it, whatever the leg's mode.
    const workflowInputs: Record<string, string> = {
      tests: 'tests',
      requirements: 'test-requirements',
      extras: 'test-extras',
      groups: 'test-groups',
      'pytest-args': 'pytest-args',
      lock: 'lock',
      'test-command': 'test-command',
      'before-test': 'before-test',
      'test-environment': 'test-environment',
      'test-sources': 'test-sources',
      'test-skip': 'test-skip',
      'timeout-minutes': 'test-timeout-minutes',
      'working-directory': 'working-directory',
    };
    for (const [input, workflowInput] of Object.entries(workflowInputs))
      expect(test.with[input]).toBe(`\${{ inputs.${workflowInput} }}`);
    for (const text of [file.text, readFileSync(path.join(repoRoot, 'README.md'), 'utf8')])
      expect(text).not.toMatch(/honour only/i);
  });

  it('says why upload-artifact and download-artifact stay below their current majors', () => {
    expect(file.text).toMatch(/act 0\.2\.89's artifact server[^\n]*\n[^\n]*serves up to 6 \/ 7/);
  });
});

describe("ci.yml's gate", () => {
  const workflow: Workflow = loadWorkflowFile('.github/workflows/ci.yml').workflow;
  const gate = workflow.jobs['all-green']!;

  it('needs every other job, so no job can fail unnoticed', () => {
    const others = Object.keys(workflow.jobs).filter((id) => id !== 'all-green');
    expect([gate.needs].flat().sort()).toEqual(others.sort());
  });

  it('goes green only when every needed job succeeded, decided by an expression (no code runs)', () => {
    expect(gate.if).toBe('always()');
    const [step, ...rest] = gate.steps ?? [];
    expect(rest).toEqual([]);
    for (const outcome of ['failure', 'cancelled', 'skipped'])
      expect(step!.env?.GREEN).toContain(`!contains(needs.*.result, '${outcome}')`);
    expect(step!.run?.trim().split('\n').at(-1)).toBe('test "$GREEN" = true');
  });
});

describe('the actionlint exception', () => {
  it('hides the $/ messages and nothing else: another error on the same job is still reported', () => {
    const dir = freshDir('actionlint');
    mkdirSync(path.join(dir, '.github', 'workflows'), { recursive: true });
    cpSync(path.join(repoRoot, '.github', 'actionlint.yaml'), path.join(dir, '.github', 'actionlint.yaml'));
    writeFileSync(
      path.join(dir, '.github', 'workflows', 'w.yml'),
      [
        'on: push',
        'permissions: {}',
        'jobs:',
        '  call:',
        '    uses: $/.github/workflows/other.yml',
        '  a:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - uses: $/actions/plan',
        '      - run: echo "${{ matrix.nope }}"',
        '',
      ].join('\n'),
    );
    // Its own git repository, so actionlint takes it (and its config) as the project.
    execFileSync('git', ['init', '-q'], { cwd: dir });
    let output = '';
    try {
      execFileSync(
        path.join(repoRoot, '.tools', 'bin', 'actionlint'),
        ['-shellcheck=', '-no-color', '.github/workflows/w.yml'],
        {
          cwd: dir,
          encoding: 'utf8',
          stdio: 'pipe',
        },
      );
    } catch (thrown) {
      output = String((thrown as { stdout: string }).stdout);
    }
    expect(output).toContain('property "nope" is not defined in object type');
    expect(output).not.toContain('$/');
  });

  it('silences only the two messages actionlint gives for a $/ line, and says why', () => {
    const config = readFileSync(path.join(repoRoot, '.github', 'actionlint.yaml'), 'utf8');
    expect(config).toContain('rhysd/actionlint#711');
    const ignores = config.split('\n').filter((l) => /^\s+- '/.test(l));
    expect(ignores).toHaveLength(2);
    for (const ignore of ignores) expect(ignore).toContain('\\$/');
  });
});

describe('shellcheck on the workflows', () => {
  it("lint-workflows.sh has actionlint run the bootstrap's shellcheck, which finds what it should", () => {
    expect(readFileSync(path.join(repoRoot, 'scripts', 'lint-workflows.sh'), 'utf8')).toContain(
      '-shellcheck=.tools/bin/shellcheck',
    );
    const dir = freshDir('shellcheck');
    mkdirSync(path.join(dir, '.github', 'workflows'), { recursive: true });
    writeFileSync(
      path.join(dir, '.github', 'workflows', 'w.yml'),
      [
        'on: push',
        'permissions: {}',
        'jobs:',
        '  a:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - env:',
        '          NAME: x',
        '        run: echo $NAME',
        '',
      ].join('\n'),
    );
    execFileSync('git', ['init', '-q'], { cwd: dir });
    const shellcheck = path.join(repoRoot, '.tools', 'bin', 'shellcheck');
    let output = '';
    try {
      execFileSync(
        path.join(repoRoot, '.tools', 'bin', 'actionlint'),
        [`-shellcheck=${shellcheck}`, '-no-color'],
        {
          cwd: dir,
          encoding: 'utf8',
          stdio: 'pipe',
        },
      );
    } catch (thrown) {
      output = String((thrown as { stdout: string }).stdout);
    }
    expect(output).toContain('SC2086');
  });
});

describe('the release example pins ferrowheel', () => {
  const file = loadWorkflowFile('examples/workflows/release.yml');
  const own = usesLines(file).filter((l) => ferrowheelPath(l.uses) !== undefined);

  it('to one full commit SHA with a version comment, for the reusable workflow and the publish action alike', () => {
    expect(own.map((l) => ferrowheelPath(l.uses)).sort()).toEqual([
      '.github/workflows/build-wheels.yml',
      'actions/publish',
    ]);
    const refs = new Set(own.map((l) => l.uses.split('@')[1]));
    expect(refs.size).toBe(1);
    expect([...refs][0]).toMatch(/^[0-9a-f]{40}$/);
    // A release's version, or — until the first release's pin pull request — main's commit.
    const comments = new Set(own.map((l) => l.comment));
    expect(comments.size).toBe(1);
    expect([...comments][0]).toMatch(/^(v\d+\.\d+\.\d+|main \(no release yet\))$/);
  });

  it('skips actions/attest where GitHub cannot attest (private repositories outside Enterprise Cloud), and says so', () => {
    const attest = (file.workflow.jobs.publish?.steps ?? []).find((s) =>
      s.uses?.startsWith('actions/attest@'),
    );
    expect(attest?.if).toBe("${{ !github.event.repository.private || vars.ATTEST_PRIVATE == 'true' }}");
    expect(file.text).toMatch(/Enterprise Cloud; elsewhere actions\/attest fails/);
  });
});

describe('release.yml', () => {
  const file = loadWorkflowFile('.github/workflows/release.yml');
  const { jobs } = file.workflow;
  const needs = (id: string) => [jobs[id]!.needs ?? []].flat().sort();

  it('runs on version tags only: v1.2.3, not the major tag it moves', () => {
    expect((file.workflow.on as { push?: { tags?: string[] } }).push?.tags).toEqual([
      'v[0-9]+.[0-9]+.[0-9]+',
    ]);
  });

  it('gates everything on CI, then the bundles, then releases, then moves v1 and opens the pin pull request', () => {
    expect(needs('ci-green')).toEqual([]);
    expect(needs('check-dist')).toEqual(['ci-green']);
    expect(needs('release')).toEqual(['check-dist', 'ci-green']);
    expect(needs('major-tag')).toEqual(['release']);
    expect(needs('pin-examples')).toEqual(['release']);
  });

  it("asks about ci.yml's test job by the name it has there", () => {
    const ci = loadWorkflowFile('.github/workflows/ci.yml').workflow;
    const step = jobs['ci-green']!.steps!.find((s) => s.run?.includes('ci-green.mjs'))!;
    expect(step.env?.CI_WORKFLOW).toBe('ci.yml');
    expect(step.env?.CI_JOB).toBe(ci.jobs.test!.name);
  });

  it('gives each job only what it writes', () => {
    expect(jobs['ci-green']!.permissions).toEqual({ contents: 'read', actions: 'read' });
    expect(jobs['check-dist']!.permissions).toEqual({ contents: 'read' });
    expect(jobs.release!.permissions).toEqual({ contents: 'write' });
    expect(jobs['major-tag']!.permissions).toEqual({ contents: 'write' });
    expect(jobs['pin-examples']!.permissions).toEqual({ contents: 'write', 'pull-requests': 'write' });
  });

  it('installs nothing in the jobs that can write: they run Node scripts of the tagged commit', () => {
    for (const id of ['release', 'major-tag', 'pin-examples']) {
      const runs = (jobs[id]!.steps ?? []).flatMap((s) => (s.run ? [s.run.trim()] : []));
      expect(runs).toEqual([expect.stringMatching(/^node scripts\/release\/[a-z-]+\.mjs$/)]);
    }
  });
});
