/** What a publish did, as step outputs and a job summary: each file, where it went, its hash. */
import { formatBytes } from '@ferrowheel/kit/files';
import { setOutput } from '@ferrowheel/kit/outputs';
import { markdownTable, writeSummary } from '@ferrowheel/kit/summary';
import { normaliseName } from '@ferrowheel/kit/wheel';
import type { Distribution } from './distributions.js';
import type { ReleaseResult } from './github-release.js';
import type { Inputs } from './inputs.js';
import type { Pep740Attestation } from './pep740.js';

export interface PublishedFile {
  file: string;
  url: string;
  sha256: string;
  repository: string;
}

export interface SkippedFile {
  file: string;
  /** The local file's SHA256. */
  sha256: string;
  /** When the index has the name from an earlier build with other bytes: the index's SHA256. */
  indexSha256?: string;
  reason: string;
}

export interface AttestationFile {
  file: string;
  /** `<distribution>.publish.attestation` */
  path: string;
  attestation: Pep740Attestation;
  /** What the integrity API said, once checked. */
  provenance?: 'verified' | 'unavailable';
}

export interface PublishReport {
  inputs: Inputs;
  dists: Distribution[];
  published: PublishedFile[];
  skipped: SkippedFile[];
  /** PEP 740 attestations signed by this run. */
  attestations: AttestationFile[];
  sha256sums: string;
  verified: boolean;
  release?: ReleaseResult;
  /** The audit's summary section, when the wheels were audited. */
  audit?: string;
}

/** Sets the outputs and appends the job summary; called whether or not the publish succeeded. */
export async function writeReport(report: PublishReport): Promise<void> {
  const { inputs } = report;
  const project = report.dists[0]?.name;
  for (const p of report.published) {
    if (p.url === '' && project) p.url = `${inputs.index.indexUrl}${normaliseName(project)}/`;
  }
  setOutput('published', JSON.stringify(report.published));
  setOutput('skipped', JSON.stringify(report.skipped));
  setOutput('sha256sums', report.sha256sums);
  setOutput('attestations', JSON.stringify(report.attestations.map((a) => ({ file: a.file, path: a.path }))));
  setOutput('release-url', report.release?.url ?? '');
  if (report.dists.length === 0) return;

  const rows = report.dists.map((d) => {
    const published = report.published.find((p) => p.file === d.filename);
    const skipped = report.skipped.find((s) => s.file === d.filename);
    const asset = report.release?.assets.find((a) => a.name === d.filename);
    const status = inputs.dryRun
      ? 'dry run: not uploaded'
      : published
        ? `uploaded${report.verified ? ', verified' : ''}`
        : skipped
          ? `skipped: ${skipped.reason}`
          : 'not uploaded';
    return [
      `\`${d.filename}\``,
      formatBytes(d.size),
      status,
      published ? `[${inputs.index.label}](${published.url})` : inputs.index.label,
      asset ? `[${asset.action}](${asset.url})` : '–',
      `\`${d.sha256}\``,
    ];
  });
  const heading = `${inputs.dryRun ? 'Dry run: ' : ''}publish ${project} ${report.dists[0]!.version} to ${inputs.index.label}`;
  const release = report.release ? `\nGitHub release: ${report.release.url}\n` : '';
  const earlier = report.skipped.filter((s) => /earlier run/.test(s.reason)).map((s) => `\`${s.file}\``);
  const delivered =
    earlier.length > 0
      ? `\nAlready delivered by an earlier run (same SHA256 on the index): ${earlier.join(', ')}\n`
      : '';
  const kept = report.skipped.filter((s) => s.indexSha256 !== undefined).map((s) => `\`${s.file}\``);
  const keptLine =
    kept.length > 0
      ? `\nKept on the index from an earlier build with different bytes (an index never replaces a file): ${kept.join(', ')}\n`
      : '';
  const attestations =
    report.attestations.length > 0
      ? `\nPEP 740 attestations (signed with Sigstore):\n${report.attestations
          .map(
            (a) =>
              `- \`${a.path}\`${a.provenance === 'verified' ? " — served by the index's integrity API" : ''}`,
          )
          .join('\n')}\n`
      : '';
  await writeSummary(
    heading,
    `${markdownTable(['File', 'Size', 'Result', 'Index', 'Release asset', 'SHA256'], rows)}${delivered}${keptLine}${attestations}${release}\nChecksums: \`${report.sha256sums}\`\n${report.audit ?? ''}`,
  );
}
