/**
 * Publish, as a list of named phases: check the files → SHA256SUMS → credentials (token or trusted
 * publishing) → attestations → upload each file (upload.ts; skipping what the index already has,
 * with skip-existing) → verify through the simple index (verify.ts) → GitHub release assets
 * (release.ts) → outputs and job summary. Outputs are written even when a phase fails, so a
 * partial publish is reported as exactly what happened.
 */
import { writeFileSync } from 'node:fs';
import * as core from '@actions/core';
import { firstEscape } from '@ferrowheel/kit/containment';
import { UserError } from '@ferrowheel/kit/errors';
import { exec as realExec } from '@ferrowheel/kit/exec';
import { logText } from '@ferrowheel/kit/log-text';
import { credentials } from './credentials.js';
import {
  type Distribution,
  globFiles,
  inspectDistributions,
  isOwnOutput,
  listPackagesDir,
  writeChecksums,
} from './distributions.js';
import { githubEnv } from './github-env.js';
import { requestIdToken } from './github-oidc.js';
import { type Inputs, readInputs } from './inputs.js';
import { basicAuth } from './legacy-upload.js';
import { type Authenticated, type Deps, indexListing, type Publish, retryOptions } from './publishing.js';
import { release } from './release.js';
import { type PublishReport, writeReport } from './report.js';
import type { IndexFile } from './simple-index.js';
import { upload } from './upload.js';
import { verify, verifyProvenance } from './verify.js';

export type { Deps } from './publishing.js';

export const defaultDeps: Deps = {};

/** Every package file must really be inside the workspace: a link in dist/ to /etc/x is refused. */
function refuseEscapes(inputs: Inputs, files: readonly string[]): void {
  const outside = firstEscape(inputs.runner.workspace, files);
  if (outside) {
    throw new UserError(
      `${outside.file} ${outside.problem}. Publish only files inside the checkout (real files, not links to files elsewhere); check 'packages-dir' and 'packages'.`,
    );
  }
}

function findDistributions(inputs: Inputs): Distribution[] {
  if (inputs.packages.length > 0) {
    // This action's own outputs next to the packages are not packages to publish.
    const files = globFiles(inputs.runner.workspace, inputs.packages).filter((f) => !isOwnOutput(f));
    refuseEscapes(inputs, files);
    return inspectDistributions(files, `the 'packages' patterns ${inputs.packages.join(', ')}`);
  }
  const { files, ignored } = listPackagesDir(inputs.packagesDir);
  refuseEscapes(inputs, files);
  if (ignored.length > 0) core.info(logText`Not packages, left alone: ${ignored.join(', ')}`);
  return inspectDistributions(files, inputs.packagesDir);
}

/** Check: the packages (one project version, valid files, inside the workspace) and SHA256SUMS. */
async function check(publish: Publish): Promise<void> {
  const { inputs, report } = publish;
  publish.dists = await core.group('Check the packages', async () => {
    const found = findDistributions(inputs);
    for (const d of found)
      core.info(
        logText`${d.filename}: ${d.kind}, ${d.name} ${d.version}, ${d.size} bytes, sha256 ${d.sha256}`,
      );
    return found;
  });
  report.dists = publish.dists;
  report.sha256sums = writeChecksums(publish.dists, inputs.runner.runnerTemp);
  core.info(logText`Wrote ${report.sha256sums}`);
}

function dryRun({ inputs, dists }: Publish): void {
  core.info(
    logText`Dry run: would publish ${dists.length} file(s) to ${inputs.index.repositoryUrl}${inputs.githubRelease ? ` and release ${inputs.githubRelease}` : ''}; nothing was uploaded.`,
  );
}

/** Credentials: the upload's, masked (the Authorization header's form too) before any use. */
async function authenticate(publish: Publish): Promise<Authenticated> {
  const creds = await core.group('Credentials', () => credentials(publish));
  publish.inputs.runner.mask(basicAuth(creds).slice('Basic '.length));
  return { ...publish, creds, earlier: new Map() };
}

/**
 * Signs every file's PEP 740 attestation (sigstore-js, loaded only here) with the job's OIDC
 * identity and writes `<file>.publish.attestation` beside it; what the index already lists is not
 * signed again.
 */
async function attest(publish: Publish, listed: IndexFile[] | undefined): Promise<void> {
  const { inputs, dists, report } = publish;
  const toSign = dists.filter((d) => !listed?.some((f) => f.filename === d.filename));
  if (toSign.length === 0) return;
  const github = githubEnv(inputs.runner.env);
  await core.group('Attestations (PEP 740, signed with Sigstore)', async () => {
    const { attestDistributions } = await import('./attest.js');
    core.info(logText`Signing with Fulcio ${inputs.sigstore.fulcio} and Rekor ${inputs.sigstore.rekor}`);
    const attested = await attestDistributions({
      files: toSign,
      identityToken: () =>
        requestIdToken({
          requestUrl: github.oidcRequestUrl,
          requestToken: github.oidcRequestToken,
          audience: 'sigstore',
          retry: retryOptions(publish, { what: 'the OIDC token for Sigstore' }),
          mask: inputs.runner.mask,
        }),
      urls: inputs.sigstore,
      write: (file, text) => writeFileSync(file, text),
      retries: inputs.retries,
    });
    for (const a of attested) {
      core.info(logText`${a.filename}: signed; wrote ${a.path}`);
      report.attestations.push({ file: a.filename, path: a.path, attestation: a.attestation });
    }
  });
}

function emptyReport(inputs: Inputs): PublishReport {
  return { inputs, dists: [], published: [], skipped: [], attestations: [], sha256sums: '', verified: false };
}

/** Audit (`audit: error|warn`): the wheels checked before anything is uploaded; src/audit.ts, loaded only then. */
async function audit({ inputs, deps, dists, report }: Publish): Promise<void> {
  if (inputs.audit === 'off') return;
  const audited = await core.group('Audit', async () => {
    const { auditPhase } = await import('./audit.js');
    return auditPhase(inputs, dists, { exec: deps.exec ?? realExec, env: deps.env ?? process.env });
  });
  if (audited) report.audit = audited.summary;
  if (audited?.verdict.fails) {
    throw new UserError(
      `The audit of the wheels failed (see the error annotations above, each with its fix); nothing was uploaded. Fix the wheels and build them again, or set 'audit' to warn.`,
    );
  }
}

export async function run(inputs: Inputs = readInputs(), deps: Deps = defaultDeps): Promise<void> {
  const publish: Publish = { inputs, deps, dists: [], report: emptyReport(inputs) };
  try {
    await check(publish);
    await audit(publish);
    if (inputs.dryRun) return dryRun(publish);
    const authenticated = await authenticate(publish);
    // With skip-existing, what the index already lists is neither signed nor sent again.
    const listed = inputs.skipExisting ? await indexListing(authenticated) : undefined;
    if (inputs.attestations) await attest(authenticated, listed);
    await upload(authenticated, listed);
    if (inputs.verify) await verify(authenticated);
    if (inputs.verify && inputs.attestations) await verifyProvenance(authenticated);
    if (inputs.githubRelease !== undefined) await release(authenticated);
  } finally {
    await writeReport(publish.report);
  }
}
