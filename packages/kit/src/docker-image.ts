/**
 * Docker image references, read the way docker reads them (distribution's reference grammar:
 * `[registry[:port]/]name[/name...][:tag][@algorithm:hex]`, or an image id `sha256:<64 hex>`).
 * One check for every input that names an image (build's and test's `container`, plan's
 * `build-images`/`test-images`), so a value one action takes is never refused by the next, and
 * nothing docker would read as an option (`--privileged`) or a shell would split reaches `docker
 * run`. Templates (plan's `{python}`) are allowed where a caller names its placeholders.
 */
import { fail, ok, type Result } from './result.js';

export type DockerImage =
  | {
      kind: 'reference';
      /** `registry.example.com:5000`; undefined for Docker Hub. */
      registry: string | undefined;
      /** `arm64v8/python` */
      repository: string;
      tag: string | undefined;
      /** `sha256:…` */
      digest: string | undefined;
    }
  | { kind: 'id'; id: string };

export interface DockerImageOptions {
  /**
   * Placeholders the text may hold (`{python}`), each checked as the value that replaces it would
   * be: a run of lower-case letters and digits. None by default.
   */
  placeholders?: readonly string[];
}

const IMAGE_ID = /^sha256:[0-9a-f]{64}$/;
/** A host name's label, a dotted host name, an optional port. */
const REGISTRY =
  /^(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])(?:\.(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9]))*(?::\d+)?$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^\w[\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
/** docker's limit on the name (registry and repository). */
const NAME_MAX = 255;

/** What a placeholder stands for while a piece is checked: letters and digits, as a version's are. */
const PLACEHOLDER_VALUE = '0';

/**
 * The image `text` names, or the problem in words ("starts with '-', which docker would read as
 * an option"), for the caller's InputError. With `placeholders`, the parts keep them.
 */
export function parseDockerImage(text: string, options: DockerImageOptions = {}): Result<DockerImage> {
  if (text === '') return fail('is empty');
  if (text.startsWith('-')) return fail("starts with '-', which docker would read as an option");
  if (/\s/.test(text)) return fail('holds whitespace');
  const fill = (piece: string) =>
    (options.placeholders ?? []).reduce(
      (p, placeholder) => p.split(placeholder).join(PLACEHOLDER_VALUE),
      piece,
    );
  if (IMAGE_ID.test(text)) return ok({ kind: 'id', id: text });
  const at = text.indexOf('@');
  const digest = at < 0 ? undefined : text.slice(at + 1);
  const named = at < 0 ? text : text.slice(0, at);
  if (digest !== undefined && !DIGEST.test(digest)) {
    return fail(`has the digest '${digest}', which is not <algorithm>:<hex> (sha256:…)`);
  }
  const colon = named.lastIndexOf(':');
  const tag = colon > named.lastIndexOf('/') ? named.slice(colon + 1) : undefined;
  const name = tag === undefined ? named : named.slice(0, colon);
  if (tag !== undefined && !TAG.test(fill(tag))) {
    return fail(
      `has the tag '${tag}': a tag is up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'`,
    );
  }
  const parts = name.split('/');
  // docker's rule: the first part names a registry when it has a '.' or ':', is localhost, or
  // has upper case (which a repository never has).
  const first = parts[0] ?? '';
  const registry =
    parts.length > 1 && (/[.:A-Z]/.test(first) || first === 'localhost') ? parts.shift() : undefined;
  if (registry !== undefined && !REGISTRY.test(registry)) {
    return fail(`names the registry '${registry}', which is not host[:port]`);
  }
  const problem = repositoryProblem(parts.map(fill));
  if (problem !== undefined) return fail(problem);
  if (name.length > NAME_MAX) return fail(`has a name longer than ${NAME_MAX} characters`);
  return ok({ kind: 'reference', registry, repository: parts.join('/'), tag, digest });
}

/** Why the repository's parts (`arm64v8`, `python`) are not a docker repository name. */
function repositoryProblem(parts: readonly string[]): string | undefined {
  const bad = parts.find((part) => !PATH_COMPONENT.test(part));
  if (bad === undefined) return undefined;
  if (/[A-Z]/.test(bad)) return `has upper case in its name ('${bad}'); docker names are lower case`;
  if (bad === '') return "has an empty part in its name (a '/' at the start or end, or '//')";
  return `has '${bad}' in its name, which is not lower-case letters and digits joined by '.', '_', '__' or '-'`;
}
