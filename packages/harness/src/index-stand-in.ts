/**
 * A package index's front as PyPI has it, in front of a real index (pypiserver): it records the
 * legacy upload form of every upload, checks the PEP 740 `attestations` field the way Warehouse
 * does (one attestation per file, subject = the file's name and SHA256, the publish predicate,
 * and — given a Sigstore stand-in — a signature that verifies against its trust root), forwards
 * the upload, and serves what was attested through PyPI's integrity API
 * (`GET /integrity/<project>/<version>/<filename>/provenance`). Everything else is forwarded.
 *
 * `holdUpload` stops an upload for tests that kill the uploader mid-upload: halfway through its
 * body (the index gets a truncated request when the client goes away — pypiserver then keeps a
 * truncated file, as it does not check `sha256_digest`), or with the whole body delivered and the
 * index's answer withheld (the index has the file; the uploader never learns it).
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import { messageOf } from '@ferrowheel/kit/errors';
import { json, type Service } from './stand-in.js';

export interface UploadForm {
  /** Every text field, in order (repeated names kept). */
  fields: [string, string][];
  /** The `content` part's filename. */
  filename: string;
  /** SHA256 of the `content` part. */
  sha256: string;
  /** The parsed `attestations` field, when sent. */
  attestations?: unknown[];
  /** What the front answered: the index's status, or 400 for refused attestations. */
  status: number;
}

export interface Publisher {
  kind: 'GitHub';
  repository: string;
  workflow: string;
  environment: string | null;
}

export interface IndexStandInOptions {
  /** The real index's base URL, where uploads and reads are forwarded. */
  target: string;
  /** Verifies a Sigstore bundle rebuilt from an attestation (a SigstoreServer's `verify`). */
  verifyBundle?: (bundle: unknown) => void;
  /** Publisher named in the provenance served. */
  publisher?: Publisher;
  /** Whether to serve the integrity API. Default true. */
  integrityApi?: boolean;
}

export interface IndexStandIn {
  service: Service;
  uploads: UploadForm[];
  /** Provenance objects served by the integrity API, by filename. */
  provenance: Map<
    string,
    { version: 1; attestation_bundles: { publisher: Publisher; attestations: unknown[] }[] }
  >;
  /**
   * The next upload whose filename matches is forwarded only halfway; resolves once it is held
   * (the client still waits for an answer).
   */
  holdUpload(match: (filename: string) => boolean, at?: 'body' | 'answer'): Promise<void>;
}

/** Splits a multipart/form-data body into its parts. */
export function parseMultipart(
  body: Buffer,
  contentType: string,
): { name: string; filename?: string; data: Buffer }[] {
  const boundary = /boundary="?([^";]+)"?/.exec(contentType)?.[1];
  if (!boundary) return [];
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: { name: string; filename?: string; data: Buffer }[] = [];
  let start = body.indexOf(delimiter);
  while (start >= 0) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next < 0) break;
    const part = body.subarray(start + delimiter.length + 2, next - 2);
    const split = part.indexOf('\r\n\r\n');
    const head = part.subarray(0, split).toString('utf8');
    const name = /name="([^"]*)"/.exec(head)?.[1] ?? '';
    const filename = /filename="([^"]*)"/.exec(head)?.[1];
    parts.push({ name, ...(filename !== undefined ? { filename } : {}), data: part.subarray(split + 4) });
    start = next;
  }
  return parts;
}

/** A Sigstore bundle (JSON) rebuilt from a PEP 740 attestation, as pypi-attestations' `to_bundle`. */
export function fromAttestation(attestation: unknown): Record<string, unknown> {
  const a = attestation as {
    verification_material: { certificate: string; transparency_entries: unknown[] };
    envelope: { statement: string; signature: string };
  };
  return {
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    verificationMaterial: {
      certificate: { rawBytes: a.verification_material.certificate },
      tlogEntries: a.verification_material.transparency_entries.slice(0, 1),
      timestampVerificationData: { rfc3161Timestamps: [] },
    },
    dsseEnvelope: {
      payload: a.envelope.statement,
      payloadType: 'application/vnd.in-toto+json',
      signatures: [{ sig: a.envelope.signature, keyid: '' }],
    },
  };
}

/** Why Warehouse would refuse these attestations for this file, or undefined. */
export function attestationProblem(
  attestations: unknown,
  file: { filename: string; sha256: string },
  verifyBundle?: (bundle: unknown) => void,
): string | undefined {
  if (!Array.isArray(attestations)) return 'the attestations field is not a JSON list';
  if (attestations.length !== 1) return `expected one attestation, got ${attestations.length}`;
  const a = attestations[0] as Record<string, unknown>;
  const material = a.verification_material as { certificate?: unknown; transparency_entries?: unknown[] };
  const envelope = a.envelope as { statement?: unknown; signature?: unknown } | undefined;
  if (a.version !== 1) return `unknown attestation version ${String(a.version)}`;
  if (typeof material?.certificate !== 'string' || !material.transparency_entries?.length)
    return 'no certificate or transparency log entry';
  if (typeof envelope?.statement !== 'string' || typeof envelope.signature !== 'string')
    return 'no statement or signature';
  let statement: {
    _type?: string;
    subject?: { name?: string; digest?: { sha256?: string } }[];
    predicateType?: string;
  };
  try {
    statement = JSON.parse(Buffer.from(envelope.statement, 'base64').toString('utf8'));
  } catch {
    return 'the statement is not JSON';
  }
  if (statement._type !== 'https://in-toto.io/Statement/v1')
    return `not an in-toto v1 statement: ${statement._type}`;
  if (statement.subject?.length !== 1) return 'the statement must have exactly one subject';
  const [subject] = statement.subject;
  if (subject?.name !== file.filename)
    return `subject does not match distribution name: ${subject?.name} != ${file.filename}`;
  if (subject.digest?.sha256 !== file.sha256) return 'subject does not match distribution digest';
  if (statement.predicateType !== 'https://docs.pypi.org/attestations/publish/v1')
    return `unknown attestation type: ${statement.predicateType}`;
  if (verifyBundle) {
    try {
      verifyBundle(fromAttestation(a));
    } catch (thrown) {
      return `the signature does not verify: ${messageOf(thrown)}`;
    }
  }
  return undefined;
}

interface Hold {
  at: 'body' | 'answer';
  held: () => void;
}

/**
 * Forwards a buffered request. A hold at 'body' sends only half the body and never finishes it;
 * at 'answer' it sends the whole request and keeps the index's answer from the client.
 */
function forwardBuffered(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  body: Buffer,
  target: string,
  hold?: Hold,
): Promise<number> {
  const base = new URL(target);
  return new Promise((resolve) => {
    const upstream = http.request(
      {
        host: base.hostname,
        port: base.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: base.host, 'content-length': String(body.length) },
      },
      (answer) => {
        if (hold?.at === 'answer') {
          answer.resume();
          answer.on('end', () => {
            resolve(answer.statusCode ?? 502);
            hold.held();
          });
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('end', () => resolve(answer.statusCode ?? 502));
      },
    );
    upstream.on('error', () => {
      res.destroy();
      resolve(0);
    });
    if (!hold || hold.at === 'answer') {
      upstream.end(body);
      return;
    }
    upstream.write(body.subarray(0, Math.floor(body.length / 2)));
    // The uploader is gone (killed): the index sees its connection drop mid-body.
    res.on('close', () => {
      upstream.destroy();
      resolve(0);
    });
    hold.held();
  });
}

/** The integrity API path's parts, or undefined. */
function integrityPath(pathname: string): { filename: string } | undefined {
  const m = /^\/integrity\/([^/]+)\/([^/]+)\/([^/]+)\/provenance$/.exec(pathname);
  return m ? { filename: decodeURIComponent(m[3]!) } : undefined;
}

export function createIndexStandIn(options: IndexStandInOptions): IndexStandIn {
  const uploads: UploadForm[] = [];
  const provenance: IndexStandIn['provenance'] = new Map();
  let holds: ({ match: (filename: string) => boolean } & Hold)[] = [];
  const publisher: Publisher = options.publisher ?? {
    kind: 'GitHub',
    repository: 'ferrowheel/ferrowheel',
    workflow: 'release.yml',
    environment: null,
  };

  const service: Service = async ({ req, res, url, method, body }) => {
    const integrity = integrityPath(url.pathname);
    if (integrity && method === 'GET' && options.integrityApi !== false) {
      const found = provenance.get(integrity.filename);
      return found
        ? json(res, 200, found)
        : json(res, 404, { message: `No provenance available for ${integrity.filename}` });
    }
    const contentType = String(req.headers['content-type'] ?? '');
    if (method !== 'POST' || !contentType.startsWith('multipart/form-data'))
      return forwardBuffered(req, res, body, options.target);

    const parts = parseMultipart(body, contentType);
    const content = parts.find((p) => p.name === 'content');
    const form: UploadForm = {
      fields: parts.filter((p) => p.filename === undefined).map((p) => [p.name, p.data.toString('utf8')]),
      filename: content?.filename ?? '',
      sha256: content ? createHash('sha256').update(content.data).digest('hex') : '',
      status: 0,
    };
    uploads.push(form);
    const raw = form.fields.find(([name]) => name === 'attestations')?.[1];
    if (raw !== undefined) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        parsed = undefined;
      }
      if (Array.isArray(parsed)) form.attestations = parsed;
      const problem = attestationProblem(parsed, form, options.verifyBundle);
      if (problem) {
        // Warehouse's words for a refused attestation.
        res.writeHead(400, `Invalid attestations supplied during upload: ${problem}`, {
          'content-type': 'text/plain',
        });
        res.end(`400 Invalid attestations supplied during upload: ${problem}\n`);
        form.status = 400;
        return 400;
      }
    }
    const hold = holds.find((h) => h.match(form.filename));
    if (hold) holds = holds.filter((h) => h !== hold);
    const status = await forwardBuffered(req, res, body, options.target, hold);
    form.status = status;
    if (status === 200 && form.attestations) {
      provenance.set(form.filename, {
        version: 1,
        attestation_bundles: [{ publisher, attestations: form.attestations }],
      });
    }
    return status;
  };

  return {
    service,
    uploads,
    provenance,
    holdUpload: (match, at = 'body') => new Promise<void>((held) => holds.push({ match, at, held })),
  };
}
