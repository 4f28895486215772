/**
 * The CycloneDX SBOM maturin writes into every wheel (`<dist-info>/sboms/<crate>.cyclonedx.json`,
 * cargo-cyclonedx 0.5.9 inside maturin 1.16), made the same for the same source.
 *
 * With SOURCE_DATE_EPOCH set, cargo-cyclonedx already leaves out its random `serialNumber` and
 * dates the SBOM at the epoch (CycloneDX/cyclonedx-rust-cargo#850, PyO3/maturin#3091). What it
 * still writes is where the crate was built: every local package's id is cargo's
 * `path+file:///<absolute directory>#name@version` (the root component's `bom-ref`, the
 * `dependencies` refs), which names the runner's workspace, or maturin's random temporary
 * directory when the wheel is built from the sdist. So, after the build:
 * - every `path+file://<absolute path>` and absolute `download_url=file://` of a purl becomes the
 *   path relative to the root package's directory (`.`, `../core`), the form cargo-cyclonedx
 *   itself gives the purls of packages inside the workspace;
 * - the timestamp is the epoch;
 * - `serialNumber` is a UUID derived from the rest of the document (RFC 9562 UUIDv8 from SHA-256,
 *   its appendix B.2), so the SBOM keeps one, and the same SBOM always has the same one.
 * The components, their hashes, licences and dependencies are left as they were.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';

/** `path+file:///abs/dir#name@1.0` → the absolute directory (up to `#`, `?` or a space). */
const PATH_ID = /path\+file:\/\/(\/[^#?\s"]*)/g;
const DOWNLOAD_URL = /download_url=file:\/\/(\/[^&#?\s"]*|%2F[^&#?\s"]*)/gi;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `/a/b/c` relative to `/a/b` → `c`; the directory itself → `.`. POSIX rules, for any OS's paths. */
function relativeTo(root: string, target: string): string {
  return path.posix.relative(root, target) || '.';
}

function rewriteString(text: string, root: string): string {
  return text
    .replace(PATH_ID, (_, dir: string) => `path+file://${relativeTo(root, dir)}`)
    .replace(DOWNLOAD_URL, (_, encoded: string) => {
      const dir = decodeURIComponent(encoded);
      return `download_url=file://${encodeURIComponent(relativeTo(root, dir)).replace(/%2F/g, '/')}`;
    });
}

function rewrite(value: Json, root: string): Json {
  if (typeof value === 'string') return rewriteString(value, root);
  if (Array.isArray(value)) return value.map((v) => rewrite(v, root));
  if (isObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewrite(v, root)]));
  }
  return value;
}

/** An RFC 9562 version 8 UUID made of the first 128 bits of the SHA-256 of `text`. */
export function contentUuid(text: string): string {
  const bytes = createHash('sha256').update(text).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The root package's directory, from the `bom-ref` of `metadata.component`. */
function rootDirectory(bom: { [key: string]: Json }): string | undefined {
  const metadata = bom.metadata;
  const component = isObject(metadata) ? metadata.component : undefined;
  const ref = isObject(component) ? component['bom-ref'] : undefined;
  return typeof ref === 'string' ? /^path\+file:\/\/(\/[^#?]*)/.exec(ref)?.[1] : undefined;
}

/** The timestamp at the epoch, kept as cargo-cyclonedx wrote it when it already says that instant. */
function withTimestamp(metadata: Json | undefined, epochSeconds: number): Json | undefined {
  if (!isObject(metadata)) return metadata;
  const stamp = metadata.timestamp;
  if (typeof stamp === 'string' && Date.parse(stamp) === epochSeconds * 1000) return metadata;
  return { ...metadata, timestamp: new Date(epochSeconds * 1000).toISOString() };
}

export interface NormalisedSbom {
  text: string;
  changed: boolean;
}

/** `bom` with a serial derived from the rest of it, placed after specVersion as CycloneDX documents do. */
function withContentSerial(bom: { [key: string]: Json }): { [key: string]: Json } {
  const { serialNumber: _random, ...rest } = bom;
  const serial = `urn:uuid:${contentUuid(JSON.stringify(rest))}`;
  const ordered: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(rest)) {
    ordered[key] = value;
    if (key === 'specVersion') ordered.serialNumber = serial;
  }
  if (!('serialNumber' in ordered)) ordered.serialNumber = serial;
  return ordered;
}

/**
 * `text` normalised (see the module comment), or unchanged when it is not a CycloneDX JSON
 * document (an SBOM the project includes itself, in another format, is left alone). Without an
 * epoch only the paths are rewritten: the build time and the serial stay as they were.
 */
export function normaliseSbom(text: string, options: { epochSeconds: number | undefined }): NormalisedSbom {
  let bom: Json;
  try {
    bom = JSON.parse(text) as Json;
  } catch {
    return { text, changed: false };
  }
  if (!isObject(bom) || bom.bomFormat !== 'CycloneDX') return { text, changed: false };
  const root = rootDirectory(bom);
  let result = root ? (rewrite(bom, root) as { [key: string]: Json }) : bom;
  const epoch = options.epochSeconds;
  if (epoch !== undefined) {
    if (result.metadata !== undefined)
      result = { ...result, metadata: withTimestamp(result.metadata, epoch)! };
    result = withContentSerial(result);
  }
  const normalised = JSON.stringify(result, null, 2);
  return { text: normalised, changed: normalised !== text };
}
