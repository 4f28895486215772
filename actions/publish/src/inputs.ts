/** The only place publish reads its inputs (and the runner context it depends on). */
import path from 'node:path';
import { type AuditInputs, readAuditInputs } from '@ferrowheel/kit/audit/inputs';
import { checkContained, describeEscape, globBase } from '@ferrowheel/kit/containment';
import { type RunnerContext, runnerContext } from '@ferrowheel/kit/context';
import { InputError } from '@ferrowheel/kit/errors';
import {
  envInputSource,
  getBoolean,
  getEnum,
  getInteger,
  getList,
  getSecret,
  getString,
  getUrlInput,
  getWorkspacePath,
  hasControlCharacter,
  type InputSource,
} from '@ferrowheel/kit/inputs';
import type { SigstoreUrls } from './attest.js';
import { type IndexEndpoints, parseIndexUrl, resolveIndex } from './repository.js';

export type TrustedPublishing = 'auto' | 'true' | 'false';

/** `audit` and `audit-python` (kit's AuditInputs): the audit before uploading (src/audit.ts). */
export interface Inputs extends AuditInputs {
  /** Absolute; used when `packages` is empty. */
  packagesDir: string;
  /** Glob patterns relative to the workspace; empty means every package in `packagesDir`. */
  packages: string[];
  index: IndexEndpoints;
  username: string;
  token: string;
  trustedPublishing: TrustedPublishing;
  skipExisting: boolean;
  /** Whether to sign and upload PEP 740 attestations (the `attestations` input resolved). */
  attestations: boolean;
  /** Where Sigstore is: the public-good instance unless the sigstore-* inputs say otherwise. */
  sigstore: SigstoreUrls;
  /** A tag name, or undefined for no release. */
  githubRelease: string | undefined;
  githubToken: string;
  dryRun: boolean;
  verify: boolean;
  retries: number;
  retryDelayMs: number;
  /** The runner this runs on (workspace, runner temp, environment, masking; github-env.ts). */
  runner: RunnerContext;
}

/**
 * The `packages` globs, relative to the workspace: an absolute pattern inside it is made relative
 * (globFiles walks below the workspace, so it would otherwise match nothing), one leaving it fails
 * like a packages-dir outside it.
 */
function packagePatterns(source: InputSource, workspace: string): string[] {
  const root = path.resolve(workspace);
  const relative = (pattern: string) => path.relative(root, path.resolve(root, pattern));
  return getList(source, 'packages', {
    validate: (pattern) => {
      // Up to the first wildcard, by real path (a symlink to /etc inside the workspace counts
      // as outside); each matched file is checked again when the packages are listed.
      const contained = checkContained(root, globBase(pattern));
      return contained.inside ? undefined : `holds '${pattern}', which ${describeEscape(contained, root)}`;
    },
    allowed:
      'Give glob patterns relative to the repository root (e.g. wheels-*/*.whl), and download the files into the workspace first.',
  }).map((pattern) => (path.isAbsolute(pattern) ? relative(pattern).split(path.sep).join('/') : pattern));
}

/** The Sigstore service URL inputs: https (loopback may be http), no trailing slash. */
function readSigstore(source: InputSource, mask: RunnerContext['mask']): Inputs['sigstore'] {
  const url = (name: string, fallback: string) => {
    const raw = getUrlInput(source, name, mask, { default: fallback });
    return raw === '' ? '' : parseIndexUrl(name, raw).href.replace(/\/+$/, '');
  };
  return {
    fulcio: url('sigstore-fulcio-url', 'https://fulcio.sigstore.dev'),
    rekor: url('sigstore-rekor-url', 'https://rekor.sigstore.dev'),
    tsa: url('sigstore-tsa-url', '') || undefined,
  };
}

/**
 * `attestations`: auto (the default) attests when uploading to PyPI or TestPyPI with trusted
 * publishing — the only case they accept attestations in; true requires it; false never.
 */
function resolveAttestations(
  source: InputSource,
  ctx: { index: IndexEndpoints; token: string; trustedPublishing: TrustedPublishing; oidcAvailable: boolean },
): boolean {
  const raw = getString(source, 'attestations', { default: 'auto' });
  const trusted =
    ctx.trustedPublishing === 'true' ||
    (ctx.trustedPublishing === 'auto' && ctx.token === '' && ctx.oidcAvailable);
  const pypi = ctx.index.label === 'PyPI' || ctx.index.label === 'TestPyPI';
  if (raw.toLowerCase() === 'auto') return pypi && trusted && ctx.oidcAvailable;
  if (!getBoolean(source, 'attestations', false)) return false;
  if (!ctx.oidcAvailable || ctx.trustedPublishing === 'false') {
    throw new InputError(
      'attestations',
      raw,
      `asks for PEP 740 attestations, which need trusted publishing: they are signed with this job's GitHub OIDC identity, and ${
        ctx.trustedPublishing === 'false'
          ? "'trusted-publishing' is false"
          : 'the job has no OIDC token (ACTIONS_ID_TOKEN_REQUEST_URL is not set)'
      }`,
      "Register this workflow as a trusted publisher on the index, give the job 'permissions: id-token: write' and leave 'token' empty; or set 'attestations: false' to publish with the token and without attestations.",
    );
  }
  if (pypi && !trusted) {
    throw new InputError(
      'attestations',
      raw,
      `asks for PEP 740 attestations, but the upload would use 'token', and ${ctx.index.label} accepts attestations only with trusted publishing`,
      "Leave 'token' empty (or set 'trusted-publishing: true') so the upload uses trusted publishing, or set 'attestations: false'.",
    );
  }
  return true;
}

/**
 * Why `tag` cannot be a git tag name (`git check-ref-format` rules), or undefined. A leading `-`
 * is refused too: such a tag reads as an option to every git command that names it.
 */
export function checkTagName(tag: string): string | undefined {
  if (/[\s~^:?*[\\]/.test(tag) || hasControlCharacter(tag)) {
    return 'it holds a space, a control character or one of ~^:?*[\\';
  }
  if (tag.includes('..')) return "it holds '..'";
  if (tag.includes('@{') || tag === '@') return "it holds '@{' or is '@'";
  if (tag.startsWith('-')) return "it starts with '-'";
  if (tag.startsWith('/') || tag.endsWith('/') || tag.includes('//')) return 'it has an empty path component';
  if (tag.endsWith('.')) return "it ends with '.'";
  if (tag.split('/').some((part) => part.startsWith('.') || part.endsWith('.lock'))) {
    return "a component starts with '.' or ends with '.lock'";
  }
  return undefined;
}

/** `github-release`: a tag to release (undefined for none), which needs `github-token`. */
function readRelease(source: InputSource, githubToken: string): string | undefined {
  const release = getString(source, 'github-release', { default: 'false' });
  const githubRelease = ['false', 'no', 'off', ''].includes(release.toLowerCase()) ? undefined : release;
  const tagProblem = githubRelease === undefined ? undefined : checkTagName(githubRelease);
  if (tagProblem !== undefined) {
    throw new InputError(
      'github-release',
      release,
      `is not a valid tag name (${tagProblem})`,
      "Use a tag such as 'v1.2.0' (or ${{ github.ref_name }}), or 'false'.",
    );
  }
  if (githubRelease !== undefined && githubToken === '') {
    throw new InputError(
      'github-token',
      '',
      'is empty, but github-release is set',
      "Pass 'github-token: ${{ github.token }}' and give the job 'permissions: contents: write'.",
    );
  }
  return githubRelease;
}

/** Reads and checks every input; secrets are masked before anything can log them. */
export function readInputs(
  source: InputSource = envInputSource(),
  context: RunnerContext = runnerContext(),
): Inputs {
  const { env, mask, workspace } = context;
  const token = getSecret(source, 'token', mask);
  const githubToken = getSecret(source, 'github-token', mask);
  // The credentials of every URL input (user info, Gemfury's /TOKEN/acct, ?token=) are masked
  // from the raw value before anything checks it; messages show only the masked form (kit
  // getUrlInput). Both are read before either is checked further.
  const repositoryUrl = getUrlInput(source, 'repository-url', mask);
  const indexUrl = getUrlInput(source, 'index-url', mask);

  const verify = getBoolean(source, 'verify', true);
  const index = resolveIndex(repositoryUrl, indexUrl);

  const trustedPublishing = getEnum(source, 'trusted-publishing', ['auto', 'true', 'false'], 'auto');
  const attestations = resolveAttestations(source, {
    index,
    token,
    trustedPublishing,
    oidcAvailable: Boolean(env.ACTIONS_ID_TOKEN_REQUEST_URL),
  });

  const githubRelease = readRelease(source, githubToken);

  return {
    packagesDir: getWorkspacePath(source, 'packages-dir', { workspace, default: 'dist' }),
    packages: packagePatterns(source, workspace),
    index,
    username: getString(source, 'username', { default: '__token__' }),
    token,
    trustedPublishing,
    skipExisting: getBoolean(source, 'skip-existing', false),
    attestations,
    sigstore: readSigstore(source, mask),
    githubRelease,
    githubToken,
    dryRun: getBoolean(source, 'dry-run', false),
    verify,
    ...readAuditInputs(source, context, 'off'),
    retries: getInteger(source, 'retries', { min: 0, max: 10, default: 4 }),
    retryDelayMs: getInteger(source, 'retry-delay-ms', { min: 0, max: 120_000, default: 2000 }),
    runner: context,
  };
}
