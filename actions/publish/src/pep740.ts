/**
 * PEP 740 attestations: what is signed for a distribution (an in-toto statement naming the file
 * and its SHA256, with PyPI's publish predicate, in a DSSE envelope) and how a Sigstore bundle
 * becomes the attestation object the upload's `attestations` field and the integrity API carry.
 * Shapes as in PEP 740 and pypi-attestations (`Attestation.from_bundle`): the certificate as
 * base64 DER, the Rekor entries as in the bundle, the statement and signature base64.
 */
export const PUBLISH_PREDICATE = 'https://docs.pypi.org/attestations/publish/v1';
export const IN_TOTO_STATEMENT = 'https://in-toto.io/Statement/v1';
/** The DSSE payload type of an in-toto statement. */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

export interface Pep740Attestation {
  version: 1;
  verification_material: {
    /** base64(DER(certificate)) */
    certificate: string;
    transparency_entries: Record<string, unknown>[];
  };
  envelope: {
    /** base64 of the statement's JSON bytes, exactly as signed. */
    statement: string;
    signature: string;
  };
}

export interface Statement {
  _type: string;
  subject: { name: string; digest: Record<string, string> }[];
  predicateType: string;
  predicate: unknown;
}

/** The statement signed for one distribution: its filename and SHA256, and no predicate body. */
export function publishStatement(file: { filename: string; sha256: string }): Buffer {
  const statement: Statement = {
    _type: IN_TOTO_STATEMENT,
    subject: [{ name: file.filename, digest: { sha256: file.sha256 } }],
    predicateType: PUBLISH_PREDICATE,
    predicate: null,
  };
  return Buffer.from(JSON.stringify(statement), 'utf8');
}

/** A Sigstore bundle in its JSON form (the fields this conversion reads). */
interface BundleJson {
  mediaType?: string;
  verificationMaterial?: {
    certificate?: { rawBytes?: string };
    x509CertificateChain?: { certificates?: { rawBytes?: string }[] };
    tlogEntries?: Record<string, unknown>[];
  };
  dsseEnvelope?: { payload?: string; payloadType?: string; signatures?: { sig?: string }[] };
}

/**
 * Proto3 JSON leaves out fields holding their default value (a first entry's `logIndex` 0, an
 * empty `hashes` list); PyPI's models require them, so they are spelled out.
 */
function withInclusionProofDefaults(entry: Record<string, unknown>): Record<string, unknown> {
  const proof = entry.inclusionProof as Record<string, unknown> | undefined;
  if (!proof) return entry;
  return {
    ...entry,
    inclusionProof: { logIndex: '0', hashes: [], ...proof },
  };
}

/** Turns a Sigstore bundle (JSON) of a DSSE-signed statement into a PEP 740 attestation. */
export function toAttestation(bundle: unknown): Pep740Attestation {
  const b = bundle as BundleJson;
  const envelope = b.dsseEnvelope;
  if (!envelope?.payload) throw new Error('the Sigstore bundle holds no DSSE envelope');
  if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE)
    throw new Error(`the DSSE envelope holds ${envelope.payloadType ?? 'nothing'}, not an in-toto statement`);
  if (envelope.signatures?.length !== 1 || !envelope.signatures[0]?.sig)
    throw new Error(`expected exactly one signature, got ${envelope.signatures?.length ?? 0}`);
  const material = b.verificationMaterial;
  const certificate =
    material?.certificate?.rawBytes ?? material?.x509CertificateChain?.certificates?.[0]?.rawBytes;
  if (!certificate) throw new Error('the Sigstore bundle holds no signing certificate');
  const entries = (material?.tlogEntries ?? []).map(withInclusionProofDefaults);
  if (entries.length === 0) throw new Error('the Sigstore bundle holds no transparency log entry');
  return {
    version: 1,
    verification_material: { certificate, transparency_entries: entries },
    envelope: { statement: envelope.payload, signature: envelope.signatures[0].sig },
  };
}

/** The statement inside an attestation. */
export function attestedStatement(attestation: Pep740Attestation): Statement {
  return JSON.parse(Buffer.from(attestation.envelope.statement, 'base64').toString('utf8')) as Statement;
}
