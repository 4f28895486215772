/**
 * Pruning a target dir before it is cached, so the cache holds dependencies: the workspace's own
 * crates, incremental data and final artifacts go; `--target <triple>` dirs are pruned the same
 * way, never wiped.
 */
import { readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

// What a profile dir (target/debug, target/<triple>/release) keeps: dependencies' compiled
// crates, build-script outputs and fingerprints. Everything else there is the workspace's own
// output (binaries, cdylibs, examples) or incremental data, which is large and rarely reusable.
const PROFILE_KEEP = new Set(['build', '.fingerprint', 'deps']);
const TARGET_ROOT_KEEP = new Set(['CACHEDIR.TAG', '.rustc_info.json']);

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function isProfileDir(dir: string): boolean {
  return ['.fingerprint', 'deps', 'build'].some((d) => isDir(path.join(dir, d)));
}

/** `libfoo-1a2b3c.rlib` → `libfoo`; `my-crate-1a2b3c` → `my-crate`; `libfoo.so` → `libfoo`. */
function artifactStem(name: string): string {
  const base = name.startsWith('.') ? name : name.split('.')[0]!;
  const dash = base.lastIndexOf('-');
  return dash > 0 && /^[0-9a-f]{8,}$/.test(base.slice(dash + 1)) ? base.slice(0, dash) : base;
}

function remove(p: string, counter: { removed: number }): void {
  rmSync(p, { recursive: true, force: true });
  counter.removed++;
}

function pruneProfile(dir: string, deny: Set<string>, counter: { removed: number }): void {
  for (const entry of readdirSync(dir)) {
    if (!PROFILE_KEEP.has(entry)) remove(path.join(dir, entry), counter);
  }
  for (const sub of PROFILE_KEEP) {
    const subDir = path.join(dir, sub);
    if (!isDir(subDir)) continue;
    for (const entry of readdirSync(subDir)) {
      if (deny.has(artifactStem(entry))) remove(path.join(subDir, entry), counter);
    }
  }
}

/**
 * Prunes a target dir so it holds dependencies only: in every profile dir (also under
 * `<triple>/`), everything but `build`, `.fingerprint` and `deps`, and in those the workspace's
 * own crates. Other top-level dirs (`doc`, `wheels`, `package`) go; a `--target` dir is pruned
 * like the host's, never removed.
 */
export function pruneTargetDir(targetDir: string, workspaceCrates: readonly string[]): { removed: number } {
  const counter = { removed: 0 };
  if (!isDir(targetDir)) return counter;
  const deny = new Set<string>();
  for (const name of workspaceCrates) {
    const underscored = name.replace(/-/g, '_');
    for (const n of [name, underscored, `lib${underscored}`]) deny.add(n);
  }
  for (const entry of readdirSync(targetDir)) {
    const full = path.join(targetDir, entry);
    if (TARGET_ROOT_KEEP.has(entry)) continue;
    if (!isDir(full)) {
      remove(full, counter);
    } else if (isProfileDir(full)) {
      pruneProfile(full, deny, counter);
    } else {
      const profiles = readdirSync(full).filter((p) => isProfileDir(path.join(full, p)));
      if (profiles.length === 0) {
        remove(full, counter);
        continue;
      }
      // A `--target <triple>` dir: prune its profiles, keep it.
      for (const entryInTriple of readdirSync(full)) {
        const inner = path.join(full, entryInTriple);
        if (profiles.includes(entryInTriple)) pruneProfile(inner, deny, counter);
        else if (!TARGET_ROOT_KEEP.has(entryInTriple)) remove(inner, counter);
      }
    }
  }
  return counter;
}
