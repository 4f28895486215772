/**
 * The cargo workspace a directory belongs to, from `cargo metadata --no-deps` (no network, no lock
 * file needed): its root, target dir (cargo knows CARGO_TARGET_DIR and `build.target-dir`,
 * rust-cache#173), manifests and crate names. Read once per build and passed on.
 */
import path from 'node:path';
import { CommandError, messageOf } from '../errors.js';
import type { Exec } from '../exec.js';
import { fail, ok, type Result } from '../result.js';

export interface CargoWorkspace {
  root: string;
  targetDir: string;
  /** Absolute paths of the workspace's Cargo.toml files (root first). */
  manifests: string[];
  crates: string[];
}

interface CargoMetadata {
  workspace_root: string;
  target_directory: string;
  packages: { name: string; manifest_path: string; targets: { name: string }[] }[];
}

/**
 * The workspace that `dir` belongs to, from `cargo metadata --no-deps` (no network, no lock file
 * needed); the reason when there is none or cargo cannot read it.
 */
export async function readCargoWorkspace(
  dir: string,
  options: { exec: Exec; env?: Record<string, string>; cargo?: string },
): Promise<Result<CargoWorkspace>> {
  const cargo = options.cargo ?? 'cargo';
  let result: Awaited<ReturnType<Exec>>;
  try {
    result = await options.exec(
      cargo,
      ['metadata', '--no-deps', '--format-version', '1', '--color', 'never'],
      {
        cwd: dir,
        silent: true,
        allowFailure: true,
        ...(options.env ? { env: options.env } : {}),
      },
    );
  } catch (thrown) {
    // No cargo on this machine (a container build brings its own): not knowing is not a failure.
    return fail(
      `${cargo} could not run in ${dir}: ${thrown instanceof CommandError ? thrown.output : messageOf(thrown)}`,
    );
  }
  if (result.exitCode !== 0) {
    const reason = result.stderr.trim().split('\n').slice(-1)[0] ?? '';
    return fail(`cargo metadata failed in ${dir}: ${reason}`);
  }
  let metadata: CargoMetadata;
  try {
    metadata = JSON.parse(result.stdout) as CargoMetadata;
  } catch (thrown) {
    return fail(`cargo metadata printed no JSON: ${messageOf(thrown)}`);
  }
  const rootManifest = path.join(metadata.workspace_root, 'Cargo.toml');
  const manifests = [
    rootManifest,
    ...metadata.packages.map((p) => p.manifest_path).filter((m) => m !== rootManifest),
  ];
  const crates = new Set<string>();
  for (const pkg of metadata.packages) {
    crates.add(pkg.name);
    for (const target of pkg.targets) crates.add(target.name);
  }
  return ok({
    root: metadata.workspace_root,
    targetDir: metadata.target_directory,
    manifests,
    crates: [...crates].sort(),
  });
}
