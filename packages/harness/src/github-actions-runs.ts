/**
 * GitHub Actions' workflow runs and their jobs, read-only, as a release gate asks them: "did
 * ci.yml's test job pass on a push of this commit?" — `GET …/actions/workflows/{file}/runs`
 * (filtered by `head_sha`, `event`, `status`) and `GET …/actions/runs/{id}/jobs`. The runs are
 * given by the test, as if the workflows had run.
 */
import { json, type RouteRow, routes, type Service, type ServiceRequest } from './stand-in.js';

export type RunStatus = 'queued' | 'in_progress' | 'completed';
export type RunConclusion = 'success' | 'failure' | 'cancelled' | 'skipped' | 'timed_out' | null;

export interface WorkflowJob {
  name: string;
  status: RunStatus;
  conclusion: RunConclusion;
}

export interface WorkflowRun {
  /** The workflow's file name (`ci.yml`). */
  workflow: string;
  head_sha: string;
  event: string;
  status: RunStatus;
  conclusion: RunConclusion;
  jobs: WorkflowJob[];
}

export function createActionsRunsService(
  options: { repository: string; githubToken: string | undefined; runs: WorkflowRun[] },
  baseUrl: () => string,
): Service {
  const { repository } = options;
  const prefix = `/repos/${repository.replace('/', '\\/')}/actions`;
  const runUrl = (id: number) => `${baseUrl()}/${repository}/actions/runs/${id}`;
  const withIds = () => options.runs.map((run, i) => ({ ...run, id: i + 1 }));

  const listRuns = ({ res, url }: ServiceRequest, workflow: string) => {
    const query = url.searchParams;
    const found = withIds().filter(
      (r) =>
        r.workflow === workflow &&
        ['head_sha', 'event', 'status'].every((key) => {
          const wanted = query.get(key);
          return wanted === null || (r as unknown as Record<string, unknown>)[key] === wanted;
        }),
    );
    const workflowRuns = found.reverse().map(({ jobs: _jobs, workflow: file, ...run }) => ({
      ...run,
      path: `.github/workflows/${file}`,
      html_url: runUrl(run.id),
    }));
    return json(res, 200, { total_count: workflowRuns.length, workflow_runs: workflowRuns });
  };
  const listJobs = ({ res }: ServiceRequest, id: string) => {
    const run = withIds().find((r) => r.id === Number(id));
    if (!run) return json(res, 404, { message: 'Not Found' });
    const jobs = run.jobs.map((job, i) => ({
      ...job,
      id: run.id * 100 + i,
      run_id: run.id,
      html_url: `${runUrl(run.id)}/job/${run.id * 100 + i}`,
    }));
    return json(res, 200, { total_count: jobs.length, jobs });
  };

  const table: RouteRow[] = [
    ['GET', new RegExp(`^${prefix}/workflows/([^/]+)/runs$`), listRuns],
    ['GET', new RegExp(`^${prefix}/runs/(\\d+)/jobs$`), listJobs],
  ];
  return routes(table, { token: options.githubToken });
}
