/**
 * A small PyPI stand-in on 127.0.0.1 for the cases real PyPI cannot show: a wheel that does not
 * match its published digest, or a release with no wheel for this runner. It serves the JSON API
 * (`/pypi/<name>/json`), the simple API pip reads (`/simple/<name>/`), and files (`/files/<name>`).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeFile {
  filename: string;
  /** The digest the index publishes. */
  sha256: string;
  /** Bytes served at /files/<filename>; or `url` to link elsewhere (the real file on PyPI). */
  body?: Buffer;
  url?: string;
  /** Listed only on the simple page pip reads, not in the JSON API. */
  simpleOnly?: boolean;
}

export interface FakeIndex {
  url: string;
  /** Paths requested, in order. */
  requests: string[];
  close(): Promise<void>;
}

export async function startFakeIndex(
  packages: Record<string, Record<string, FakeFile[]>>,
): Promise<FakeIndex> {
  const requests: string[] = [];
  const fileUrl = (f: FakeFile) => f.url ?? `/files/${f.filename}`;
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    requests.push(path);
    const json = /^\/pypi\/([^/]+)\/json$/.exec(path);
    const simple = /^\/simple\/([^/]+)\/$/.exec(path);
    if (json && packages[json[1]!]) {
      const releases = Object.fromEntries(
        Object.entries(packages[json[1]!]!).map(([version, files]) => [
          version,
          files
            .filter((f) => !f.simpleOnly)
            .map((f) => ({
              filename: f.filename,
              url: fileUrl(f),
              digests: { sha256: f.sha256 },
              yanked: false,
            })),
        ]),
      );
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ releases }));
      return;
    }
    if (simple && packages[simple[1]!]) {
      const links = Object.values(packages[simple[1]!]!)
        .flat()
        .map((f) => `<a href="${fileUrl(f)}#sha256=${f.sha256}">${f.filename}</a>`)
        .join('\n');
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(`<!DOCTYPE html><html><body>\n${links}\n</body></html>`);
      return;
    }
    const file = Object.values(packages)
      .flatMap((versions) => Object.values(versions).flat())
      .find((f) => path === `/files/${f.filename}` && f.body);
    if (file?.body) {
      res
        .writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.body.length })
        .end(file.body);
      return;
    }
    res.writeHead(404).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A 127.0.0.1 port nothing listens on (bound, then released). */
export async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
