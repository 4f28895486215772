/**
 * A local Sigstore: @sigstore/mock's Fulcio (`POST /api/v2/signingCert`), Rekor
 * (`POST /api/v1/log/entries`) and timestamp authority (`POST /api/v1/timestamp`) request
 * handlers, each with its own CA or keys, served over HTTP on 127.0.0.1 — so the signer talks to
 * them exactly as to sigstore.dev. The handlers are imported from the package's modules rather
 * than its index, which would load nock and patch Node's http client for the whole test process.
 *
 * `trustedRoot` describes the instance (CA certificate, Rekor and CT log keys, TSA chain) in the
 * Sigstore TrustedRoot format, and `verify` checks a bundle against it with @sigstore/verify:
 * certificate chain, SCT, signed entry timestamp, signature and the signer's identity.
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import { bundleFromJSON } from '@sigstore/bundle';
import type { CTLog } from '@sigstore/mock/dist/fulcio/ctlog.js';
import { type CA, fulcioHandler, initializeCA, initializeCTLog } from '@sigstore/mock/dist/fulcio/index.js';
import { initializeTLog, rekorHandler, type TLog } from '@sigstore/mock/dist/rekor/index.js';
import { initializeTSA, type TSA, tsaHandler } from '@sigstore/mock/dist/timestamp/index.js';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { toSignedEntity, toTrustMaterial, type VerificationPolicy, Verifier } from '@sigstore/verify';
import { listen, readBody } from './stand-in.js';

export interface SigstoreRequest {
  method: string;
  path: string;
  status: number;
}

export interface SigstoreServer {
  /** Base URL (no trailing slash) serving all three: pass it as the Fulcio, Rekor and TSA URL. */
  url: string;
  fulcioUrl: string;
  rekorUrl: string;
  tsaUrl: string;
  requests: SigstoreRequest[];
  /** The instance's trust root, as JSON (what a TUF client would fetch for sigstore.dev). */
  trustedRoot: Record<string, unknown>;
  /**
   * Verifies a Sigstore bundle (JSON) against this instance; throws when it does not verify.
   * `identity` checks the certificate's SAN and issuer.
   */
  verify(bundle: unknown, options?: { identity?: VerificationPolicy; timestamps?: number }): void;
  stop(): Promise<void>;
}

/**
 * What Rekor stores for a proposed `dsse` entry: not the proposal (which the mock's handler would
 * log as is) but hashes of the envelope and payload and the signatures with their verifiers —
 * the body @sigstore/verify and sigstore-python check a DSSE bundle against.
 */
export function canonicalDsseEntry(request: string): string {
  const proposed = JSON.parse(request) as {
    kind?: string;
    spec?: { proposedContent?: { envelope: string; verifiers: string[] } };
  };
  const content = proposed.spec?.proposedContent;
  if (proposed.kind !== 'dsse' || !content) return request;
  const envelope = JSON.parse(content.envelope) as { payload: string; signatures: { sig: string }[] };
  const sha = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
  return JSON.stringify({
    apiVersion: '0.0.1',
    kind: 'dsse',
    spec: {
      envelopeHash: { algorithm: 'sha256', value: sha(content.envelope) },
      payloadHash: { algorithm: 'sha256', value: sha(Buffer.from(envelope.payload, 'base64')) },
      signatures: envelope.signatures.map((s, i) => ({
        signature: s.sig,
        verifier: content.verifiers[i] ?? content.verifiers[0],
      })),
    },
  });
}

/** Whether a DER answer holds a GeneralizedTime with a fraction shorter than milliseconds. */
function shortFraction(response: string | ArrayBufferView): boolean {
  const text = typeof response === 'string' ? response : der(response).toString('latin1');
  // GeneralizedTime: tag 0x18, a length of 15 to 19, then the digits.
  const at = /\d{14}\.\d{1,2}Z/.exec(text);
  return at !== null && text.charCodeAt(at.index - 2) === 0x18;
}

const ecKeyPair = () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const der = (view: ArrayBufferView) => Buffer.from(view.buffer, view.byteOffset, view.byteLength);
const b64 = (data: Buffer) => data.toString('base64');

function trustedRootJson(parts: {
  url: string;
  ca: CA;
  tlog: TLog;
  ctlog: CTLog;
  tsa: TSA;
}): Record<string, unknown> {
  const since = { start: new Date(Date.now() - 60_000).toISOString() };
  const logKey = (publicKey: Buffer) => ({
    rawBytes: b64(publicKey),
    keyDetails: 'PKIX_ECDSA_P256_SHA_256',
    validFor: since,
  });
  return {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [
      {
        baseUrl: parts.url,
        hashAlgorithm: 'SHA2_256',
        publicKey: logKey(parts.tlog.publicKey),
        logId: { keyId: b64(createHash('sha256').update(parts.tlog.publicKey).digest()) },
      },
    ],
    certificateAuthorities: [
      {
        subject: { organization: 'sigstore.mock', commonName: 'sigstore' },
        uri: parts.url,
        certChain: { certificates: [{ rawBytes: b64(der(parts.ca.rootCertificate)) }] },
        validFor: since,
      },
    ],
    ctlogs: [
      {
        baseUrl: parts.url,
        hashAlgorithm: 'SHA2_256',
        publicKey: logKey(parts.ctlog.publicKey),
        logId: { keyId: b64(der(parts.ctlog.logID)) },
      },
    ],
    timestampAuthorities: [
      {
        subject: { organization: 'sigstore.mock', commonName: 'sigstore-tsa' },
        uri: parts.url,
        certChain: {
          certificates: [
            { rawBytes: b64(der(parts.tsa.intCertificate)) },
            { rawBytes: b64(der(parts.tsa.rootCertificate)) },
          ],
        },
        validFor: since,
      },
    ],
  };
}

/** Starts Fulcio, Rekor and a TSA on one local port. */
export async function startSigstoreServer(): Promise<SigstoreServer> {
  const requests: SigstoreRequest[] = [];
  let base = '';
  const server = http.createServer();
  const listening = await listen(server);
  base = listening.url;

  const ctlog = await initializeCTLog(ecKeyPair());
  const ca = await initializeCA(ecKeyPair(), ctlog);
  const tlog = await initializeTLog(base, ecKeyPair());
  const tsa = await initializeTSA(ecKeyPair());
  const handlers = [
    fulcioHandler(ca, { strict: true }),
    rekorHandler(tlog, { strict: true }),
    tsaHandler(tsa, { strict: true }),
  ];

  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const path = new URL(req.url ?? '/', base).pathname;
    const method = req.method ?? 'GET';
    void readBody(req).then(async (body) => {
      const handler = handlers.find((h) => h.path === path);
      if (!handler || method !== 'POST') {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"not found"}');
        requests.push({ method, path, status: 404 });
        return;
      }
      const text = body.toString('utf8');
      const request = handler.path === '/api/v1/log/entries' ? canonicalDsseEntry(text) : text;
      let answer = await handler.fn(request);
      // DER drops a time's trailing zeros (…12.5Z), which @sigstore/core's parser rejects: a
      // timestamp issued at such a millisecond is issued again, a moment later.
      for (let i = 0; i < 5 && handler.path === '/api/v1/timestamp' && shortFraction(answer.response); i++) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        answer = await handler.fn(request);
      }
      const { statusCode, response, contentType } = answer;
      res.writeHead(statusCode, { 'content-type': contentType ?? 'application/json' });
      res.end(typeof response === 'string' ? response : der(response));
      requests.push({ method, path, status: statusCode });
    });
  });

  const trustedRoot = trustedRootJson({ url: base, ca, tlog, ctlog, tsa });
  const trustMaterial = toTrustMaterial(TrustedRoot.fromJSON(trustedRoot));
  return {
    url: base,
    fulcioUrl: base,
    rekorUrl: base,
    tsaUrl: base,
    requests,
    trustedRoot,
    verify(bundle, options = {}) {
      const entity = toSignedEntity(bundleFromJSON(bundle));
      new Verifier(trustMaterial, {
        tlogThreshold: 1,
        ctlogThreshold: 1,
        timestampThreshold: options.timestamps ?? 1,
      }).verify(entity, options.identity);
    },
    stop: listening.stop,
  };
}
