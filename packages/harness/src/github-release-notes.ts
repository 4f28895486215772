/**
 * `POST /repos/{owner}/{repo}/releases/generate-notes`: the notes GitHub writes for a release —
 * the pull requests merged since the previous release (given by the test, as if merged), and the
 * compare link. The previous release is `previous_tag_name`, else the newest published one.
 */
import type { Release } from './github-releases.js';
import { json, type RouteRow, routes, type Service, type ServiceRequest } from './stand-in.js';

export interface MergedPullRequest {
  number: number;
  title: string;
  author: string;
}

export function createReleaseNotesService(
  options: {
    repository: string;
    githubToken: string | undefined;
    releases: Release[];
    mergedPullRequests: MergedPullRequest[];
  },
  baseUrl: () => string,
): Service {
  const { repository } = options;
  const generate = ({ res, body }: ServiceRequest) => {
    const fields = JSON.parse(body.toString('utf8')) as { tag_name?: string; previous_tag_name?: string };
    if (!fields.tag_name)
      return json(res, 422, {
        message: 'Validation Failed',
        errors: [{ field: 'tag_name', code: 'missing_field' }],
      });
    const previous =
      fields.previous_tag_name ??
      [...options.releases].reverse().find((r) => !r.draft && r.tag_name !== fields.tag_name)?.tag_name;
    const lines = options.mergedPullRequests.map(
      (p) => `* ${p.title} by @${p.author} in ${baseUrl()}/${repository}/pull/${p.number}`,
    );
    const changelog = previous
      ? `${baseUrl()}/${repository}/compare/${previous}...${fields.tag_name}`
      : `${baseUrl()}/${repository}/commits/${fields.tag_name}`;
    const text = [
      ...(lines.length > 0 ? ["## What's Changed", ...lines, ''] : []),
      `**Full Changelog**: ${changelog}`,
    ].join('\n');
    return json(res, 200, { name: fields.tag_name, body: text });
  };
  const table: RouteRow[] = [
    ['POST', new RegExp(`^/repos/${repository.replace('/', '\\/')}/releases/generate-notes$`), generate],
  ];
  return routes(table, { token: options.githubToken });
}
