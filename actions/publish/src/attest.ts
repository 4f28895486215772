/**
 * Keyless signing of PEP 740 attestations with sigstore-js (@sigstore/sign, the library npm uses
 * for provenance): for each distribution, the publish statement goes in a DSSE envelope signed
 * with an ephemeral key whose certificate Fulcio issues for this job's GitHub OIDC identity; Rekor
 * logs the signature (the PEP 740 object carries that entry); optionally a timestamp authority
 * countersigns. The same code on Linux, macOS and Windows: plain HTTPS and Node's crypto, no
 * binary, no container. Loaded only when attesting (run.ts imports it lazily).
 */

import { messageOf, UserError } from '@ferrowheel/kit/errors';
import { bundleToJSON } from '@sigstore/bundle';
import {
  DSSEBundleBuilder,
  FulcioSigner,
  type IdentityProvider,
  RekorWitness,
  TSAWitness,
  type Witness,
} from '@sigstore/sign';
import { IN_TOTO_PAYLOAD_TYPE, type Pep740Attestation, publishStatement, toAttestation } from './pep740.js';

/** Where the Sigstore instance's services are (the public-good instance by default). */
export interface SigstoreUrls {
  fulcio: string;
  rekor: string;
  /** A timestamp authority; none by default (a PEP 740 object has no place for its timestamps). */
  tsa: string | undefined;
}

export interface AttestFile {
  filename: string;
  sha256: string;
  /** Where the distribution is; the attestation is written beside it. */
  path: string;
}

export interface Attested {
  filename: string;
  /** `<distribution>.publish.attestation` */
  path: string;
  attestation: Pep740Attestation;
  /** The Sigstore bundle (JSON) the attestation came from. */
  bundle: unknown;
}

export interface AttestOptions {
  files: readonly AttestFile[];
  /** Gives the job's OIDC token for the audience `sigstore`. */
  identityToken: () => Promise<string>;
  urls: SigstoreUrls;
  /** Writes an attestation file (injected: tests write Windows and macOS paths to memory). */
  write: (file: string, text: string) => void;
  timeoutMs?: number;
  retries?: number;
}

/** `dist/x.whl` → `dist/x.whl.publish.attestation`, the name pypi-attestations and uv read. */
export function attestationPath(distPath: string): string {
  return `${distPath}.publish.attestation`;
}

function builder(options: AttestOptions): DSSEBundleBuilder {
  // One OIDC token serves every file (Fulcio certificates are per signature, tokens need not be).
  let token: Promise<string> | undefined;
  const identityProvider: IdentityProvider = {
    getToken: () => {
      token ??= options.identityToken();
      return token;
    },
  };
  const fetchOptions = { timeout: options.timeoutMs ?? 60_000, retry: options.retries ?? 2 };
  const witnesses: Witness[] = [
    new RekorWitness({
      rekorBaseURL: options.urls.rekor,
      entryType: 'dsse',
      fetchOnConflict: true,
      ...fetchOptions,
    }),
  ];
  if (options.urls.tsa) witnesses.push(new TSAWitness({ tsaBaseURL: options.urls.tsa, ...fetchOptions }));
  return new DSSEBundleBuilder({
    signer: new FulcioSigner({ identityProvider, fulcioBaseURL: options.urls.fulcio, ...fetchOptions }),
    witnesses,
  });
}

/** Why sigstore-js failed, with its cause (an HTTP error from a service). */
function reason(thrown: unknown): string {
  if (thrown instanceof UserError) throw thrown;
  const parts: string[] = [];
  for (let e: unknown = thrown; e && parts.length < 3; e = (e as { cause?: unknown }).cause)
    parts.push(messageOf(e));
  return parts.join(': ');
}

/** Signs every file's publish statement and writes `<file>.publish.attestation` beside it. */
export async function attestDistributions(options: AttestOptions): Promise<Attested[]> {
  const sign = builder(options);
  const attested: Attested[] = [];
  for (const file of options.files) {
    let bundle: unknown;
    try {
      bundle = bundleToJSON(await sign.create({ data: publishStatement(file), type: IN_TOTO_PAYLOAD_TYPE }));
    } catch (thrown) {
      throw new UserError(
        `Signing the attestation of ${file.filename} with Sigstore failed: ${reason(thrown)}. Fulcio (${options.urls.fulcio}) and Rekor (${options.urls.rekor}) must be reachable from the runner, and the job needs 'permissions: id-token: write'. Run the job again, or set 'attestations: false' to publish without attestations.`,
      );
    }
    const attestation = toAttestation(bundle);
    const target = attestationPath(file.path);
    options.write(target, `${JSON.stringify(attestation)}\n`);
    attested.push({ filename: file.filename, path: target, attestation, bundle });
  }
  return attested;
}
