/** The job summary: one table of the wheels built, with tags, size, SHA256 and the build time. */
import path from 'node:path';
import { formatBytes } from '@ferrowheel/kit/files';
import type { PythonBuild } from '@ferrowheel/kit/python-builds';
import { formatDuration, markdownTable } from '@ferrowheel/kit/summary';
import type { WheelInfo } from './artifacts.js';
import type { ReproducibleClaim } from './reproducibility.js';

export function buildSummary(options: {
  wheels: WheelInfo[];
  sdist: { path: string; size: number; sha256: string } | undefined;
  target: string;
  durationMs: number;
  where: string;
  cacheHit: boolean | undefined;
  /** Each interpreter's outcome: the ones that failed get a line each, with why. */
  pythons?: readonly PythonBuild[];
  reproducible: ReproducibleClaim;
  /** Lines about PGO (what ran, or why not, and the gain measured), if any. */
  pgo?: string[];
}): string {
  const { reproducible } = options;
  const rows = options.wheels.map((w) => [
    `\`${w.filename}\``,
    w.tags.map((t) => `\`${t}\``).join('<br>'),
    formatBytes(w.size),
    `\`${w.sha256}\``,
    reproducible.wheel,
  ]);
  if (options.sdist) {
    const { sdist } = options;
    rows.push([
      `\`${path.basename(sdist.path)}\``,
      'sdist',
      formatBytes(sdist.size),
      `\`${sdist.sha256}\``,
      reproducible.sdist,
    ]);
  }
  const cache = options.cacheHit === undefined ? '' : `, cargo cache ${options.cacheHit ? 'hit' : 'miss'}`;
  const lines = [
    `${options.wheels.length} wheel(s) for \`${options.target}\` built ${options.where} in ${formatDuration(options.durationMs)}${cache}.`,
    '',
    markdownTable(['File', 'Tags', 'Size', 'SHA256', 'Reproducible'], rows),
    '',
    reproducible.note,
    ...(options.pgo && options.pgo.length > 0 ? ['', ...options.pgo] : []),
  ];
  const failed = (options.pythons ?? []).filter((p) => p.outcome === 'failed');
  if (failed.length > 0) {
    lines.push('', '**Not built:**', '');
    for (const p of failed) lines.push(`- CPython ${p.python} (${p.failure.kind}): ${p.failure.message}`);
  }
  return lines.join('\n');
}
