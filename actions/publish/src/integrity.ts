/**
 * PyPI's integrity API (`GET /integrity/<project>/<version>/<filename>/provenance`): after an
 * upload with attestations, the provenance the index serves must hold the attestation sent.
 * PyPI and TestPyPI have the API; another index may not, which is reported, not failed.
 */
import { UserError } from '@ferrowheel/kit/errors';
import { fetchWithRetry, type RetryOptions } from '@ferrowheel/kit/http';
import type { Pep740Attestation } from './pep740.js';

export interface ProvenanceCheck {
  /** Where the index serves `/integrity/...` (PyPI: https://pypi.org). */
  base: string;
  label: string;
  project: string;
  version: string;
  filename: string;
  attestation: Pep740Attestation;
  /** Whether the index is known to serve the API (PyPI, TestPyPI): a 404 there is a failure. */
  expected: boolean;
  retry: RetryOptions;
}

interface Provenance {
  attestation_bundles?: { attestations?: Pep740Attestation[] }[];
}

/** The provenance URL of a file. */
export function provenanceUrl(
  check: Pick<ProvenanceCheck, 'base' | 'project' | 'version' | 'filename'>,
): string {
  const part = encodeURIComponent;
  return `${check.base}/integrity/${part(check.project)}/${part(check.version)}/${part(check.filename)}/provenance`;
}

/** 'verified' when the index serves our attestation, 'unavailable' when it has no integrity API. */
export async function checkProvenance(check: ProvenanceCheck): Promise<'verified' | 'unavailable'> {
  const url = provenanceUrl(check);
  const response = await fetchWithRetry(
    url,
    () => ({ headers: { Accept: 'application/vnd.pypi.integrity.v1+json' } }),
    check.retry,
  );
  const text = await response.text().catch(() => '');
  if (response.status === 404 && !check.expected) return 'unavailable';
  if (!response.ok) {
    throw new UserError(
      `${check.label} serves no provenance for ${check.filename} (${url} answered HTTP ${response.status}), although the upload carried its attestation. Look at the file's page on ${check.label}; if the attestation is missing there, the index dropped it — publish the next version again with attestations.`,
    );
  }
  let provenance: Provenance;
  try {
    provenance = JSON.parse(text) as Provenance;
  } catch {
    if (!check.expected) return 'unavailable';
    throw new UserError(`${url} did not answer JSON: ${text.slice(0, 200)}`);
  }
  const served = (provenance.attestation_bundles ?? []).flatMap((b) => b.attestations ?? []);
  const ours = served.some(
    (a) =>
      a.envelope?.signature === check.attestation.envelope.signature &&
      a.envelope?.statement === check.attestation.envelope.statement,
  );
  if (!ours) {
    throw new UserError(
      `${check.label}'s provenance for ${check.filename} does not hold the attestation this run uploaded (${served.length} attestation(s) served at ${url}). The file may come from another upload: compare its SHA256 with SHA256SUMS.`,
    );
  }
  return 'verified';
}
