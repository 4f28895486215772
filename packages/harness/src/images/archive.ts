/**
 * Images are put into the engine with `docker load` of an image archive assembled here (manifest,
 * config, layer tarballs), not with `docker import` or a Dockerfile:
 * - the platform is right: the config's architecture and variant are what docker records. Debian's
 *   docker.io 20.10 ignores `docker import --platform` (it records amd64), after which
 *   `docker run --platform linux/arm64` tries to pull the image, and fails, or runs a registry's;
 * - the environment and labels are data (the config's Env and Labels), not Dockerfile text;
 * - layers are shared: an image made from the same base as another lists the base's layer, and
 *   `docker load` skips a layer the engine already has, so the archive leaves it out (docker
 *   20.10's load only opens the file of a layer it lacks);
 * - the image id is the hash of the config, the same for the same recipe and layers.
 */
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { sha256, sha256File } from '@ferrowheel/kit/files';
import { imagePlatform } from './architectures.js';
import { imageCacheDir } from './cache.js';

/** A layer of an image: its tarball, or only its diff id when the engine has it already. */
export type ImageLayer = { file: string; createdBy: string } | { diffId: string; createdBy: string };

export interface ImageConfig {
  /** docker's platform: `linux/arm/v7`. */
  platform: string;
  env: string[];
  labels: Record<string, string>;
  cmd: string[];
}

/** The diff id (`sha256:<hex>`) of a layer tarball, kept beside it once computed. */
export async function diffId(file: string): Promise<string> {
  const sidecar = `${file}.sha256`;
  if (existsSync(sidecar)) return readFileSync(sidecar, 'utf8').trim();
  const id = `sha256:${await sha256File(file)}`;
  writeFileSync(sidecar, `${id}\n`);
  return id;
}

/** A fixed creation time: the same recipe and layers give the same image id. */
const CREATED = '1970-01-01T00:00:00Z';

/** The image config (docker's image JSON, v1.2) of layers with these diff ids. */
export function imageConfigJson(
  config: ImageConfig,
  layers: { diffId: string; createdBy: string }[],
): string {
  return JSON.stringify({
    ...imagePlatform(config.platform),
    created: CREATED,
    config: { Env: config.env, Labels: config.labels, Cmd: config.cmd },
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
    history: layers.map((l) => ({ created: CREATED, created_by: l.createdBy })),
  });
}

async function pipeToDockerLoad(staging: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const tar = spawn('tar', ['-C', staging, '-chf', '-', '.'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const load = spawn('docker', ['load'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    tar.stdout.pipe(load.stdin);
    tar.stderr.on('data', (d) => (output += d));
    load.stdout.on('data', (d) => (output += d));
    load.stderr.on('data', (d) => (output += d));
    tar.on('error', reject);
    load.on('error', reject);
    load.on('close', (code) =>
      code === 0
        ? resolve(output)
        : reject(new Error(`docker load failed (exit code ${code}): ${output.trim()}`)),
    );
  });
}

/**
 * Loads `layers` as the image `name` with `config`. Layers the engine has already (the leading
 * ones whose diff ids are `presentDiffIds`, the layers of the image this one is made from) are
 * not sent. Returns the image id.
 */
export async function loadImage(
  name: string,
  layers: ImageLayer[],
  options: { config: ImageConfig; presentDiffIds?: string[] },
): Promise<string> {
  const described = await Promise.all(
    layers.map(async (l) =>
      'file' in l ? { ...l, diffId: await diffId(l.file) } : { ...l, file: undefined },
    ),
  );
  const configJson = imageConfigJson(options.config, described);
  const configHex = sha256(configJson);
  const staging = mkdtempSync(path.join(imageCacheDir(), 'load-'));
  try {
    const present = options.presentDiffIds ?? [];
    const layerPaths = described.map((layer, i) => {
      const hex = layer.diffId.slice('sha256:'.length);
      if (present[i] !== layer.diffId) {
        if (layer.file === undefined)
          throw new Error(`no tarball for layer ${layer.diffId}, which the engine lacks`);
        mkdirSync(path.join(staging, hex));
        symlinkSync(layer.file, path.join(staging, hex, 'layer.tar'));
      }
      return `${hex}/layer.tar`;
    });
    writeFileSync(path.join(staging, `${configHex}.json`), configJson);
    writeFileSync(
      path.join(staging, 'manifest.json'),
      JSON.stringify([{ Config: `${configHex}.json`, RepoTags: [name], Layers: layerPaths }]),
    );
    await pipeToDockerLoad(staging);
    return `sha256:${configHex}`;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
