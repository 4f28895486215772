/**
 * The repository's workflow files, found by listing (this repository's own under
 * .github/workflows/, and the ones examples/ gives users to copy), parsed, with every `uses:`
 * (step and job level) and its line.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from './workdirs.js';

export interface Step {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}

export interface Job {
  name?: string;
  uses?: string;
  if?: string;
  needs?: string | string[];
  permissions?: unknown;
  'runs-on'?: string;
  steps?: Step[];
  with?: Record<string, unknown>;
  outputs?: Record<string, string>;
}

export interface Workflow {
  name?: string;
  on: Record<string, { inputs?: Record<string, { required?: boolean; default?: unknown }> } | null>;
  permissions?: unknown;
  jobs: Record<string, Job>;
}

export interface WorkflowFile {
  /** Relative to the repository root, `/`-separated. */
  path: string;
  text: string;
  workflow: Workflow;
}

function yamlFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return yamlFiles(full);
    return /\.ya?ml$/.test(entry) ? [full] : [];
  });
}

/** Every workflow file: `.github/workflows/*` and any `workflows/` directory under examples/. */
export function listWorkflowFiles(root: string = repoRoot): string[] {
  const own = yamlFiles(path.join(root, '.github', 'workflows'));
  const examples = yamlFiles(path.join(root, 'examples')).filter((f) =>
    path.relative(path.join(root, 'examples'), f).split(path.sep).includes('workflows'),
  );
  return [...own, ...examples].map((f) => path.relative(root, f).split(path.sep).join('/')).sort();
}

export function loadWorkflowFile(relative: string, root: string = repoRoot): WorkflowFile {
  const text = readFileSync(path.join(root, relative), 'utf8');
  return { path: relative, text, workflow: parse(text) as Workflow };
}

export interface UsesLine {
  /** Job id, and the step's index (undefined for a job-level reusable workflow call). */
  job: string;
  step: number | undefined;
  uses: string;
  with: Record<string, unknown>;
  /** The comment after the `uses:` value on its line ('' when none). */
  comment: string;
}

/** Every `uses:` of a workflow, with its `with:` and the comment on its line. */
export function usesLines(file: WorkflowFile): UsesLine[] {
  const comments = new Map<string, string[]>();
  for (const line of file.text.split('\n')) {
    const match = /^\s*(?:-\s+)?uses:\s*(\S+)\s*(?:#\s*(.*))?$/.exec(line);
    if (!match) continue;
    const list = comments.get(match[1]!) ?? [];
    list.push(match[2]?.trim() ?? '');
    comments.set(match[1]!, list);
  }
  const commentOf = (uses: string) => comments.get(uses)?.[0] ?? '';
  const found: UsesLine[] = [];
  for (const [job, body] of Object.entries(file.workflow.jobs)) {
    if (body.uses)
      found.push({
        job,
        step: undefined,
        uses: body.uses,
        with: body.with ?? {},
        comment: commentOf(body.uses),
      });
    (body.steps ?? []).forEach((step, index) => {
      if (step.uses)
        found.push({
          job,
          step: index,
          uses: step.uses,
          with: step.with ?? {},
          comment: commentOf(step.uses),
        });
    });
  }
  return found;
}

/**
 * Which ferrowheel action or workflow a `uses:` names, when it is one of this repository's:
 * `$/actions/build`, `./actions/build` or `ferrowheel/ferrowheel/actions/build@v1` → `actions/build`.
 */
export function ferrowheelPath(uses: string): string | undefined {
  const match = /^(?:\$\/|\.\/|ferrowheel\/ferrowheel\/)([^@]+?)(?:@.+)?$/.exec(uses);
  return match?.[1];
}
