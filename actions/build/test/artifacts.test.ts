import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { describeWheel, recentArtifacts, reportedArtifacts } from '../src/artifacts.js';
import { buildSummary } from '../src/build-summary.js';

describe('reportedArtifacts', () => {
  it('reads the wheels and the sdist maturin reports', () => {
    const log = [
      '📦 Built source distribution to /w/dist/setup-0.1.0.tar.gz',
      '   Compiling setup v0.1.0',
      '📦 Built wheel for CPython 3.11 to /w/dist/setup-0.1.0-cp311-cp311-manylinux_2_34_x86_64.whl',
      '📦 Built wheel for abi3 Python ≥ 3.9 to /w/dist/setup-0.1.0-cp39-abi3-manylinux_2_34_x86_64.whl',
      '📦 Built wheel to C:\\a\\dist\\setup-0.1.0-cp312-cp312-win_amd64.whl\r',
    ].join('\n');
    expect(reportedArtifacts(log)).toEqual({
      wheels: [
        '/w/dist/setup-0.1.0-cp311-cp311-manylinux_2_34_x86_64.whl',
        '/w/dist/setup-0.1.0-cp39-abi3-manylinux_2_34_x86_64.whl',
        'C:\\a\\dist\\setup-0.1.0-cp312-cp312-win_amd64.whl',
      ],
      sdist: '/w/dist/setup-0.1.0.tar.gz',
    });
  });
});

describe('recentArtifacts', () => {
  it('takes only the files written since the build started', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'artifacts-'));
    writeFileSync(path.join(dir, 'old-1.0-py3-none-any.whl'), '');
    utimesSync(path.join(dir, 'old-1.0-py3-none-any.whl'), 1_000, 1_000);
    writeFileSync(path.join(dir, 'new-1.0-cp311-cp311-linux_x86_64.whl'), '');
    writeFileSync(path.join(dir, 'new-1.0.tar.gz'), '');
    expect(recentArtifacts(dir, Date.now() - 5_000)).toEqual({
      wheels: [path.join(dir, 'new-1.0-cp311-cp311-linux_x86_64.whl')],
      sdist: path.join(dir, 'new-1.0.tar.gz'),
    });
    expect(recentArtifacts(path.join(dir, 'missing'), 0)).toEqual({ wheels: [], sdist: undefined });
  });
});

describe('describeWheel and the summary', () => {
  it('describes a wheel with expanded tags, size and digest, and tabulates it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'artifacts-'));
    const file = path.join(dir, 'setup-0.1.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl');
    writeFileSync(file, 'abc');
    const wheel = await describeWheel(file);
    expect(wheel).toEqual({
      path: file,
      filename: path.basename(file),
      name: 'setup',
      version: '0.1.0',
      tags: ['cp311-cp311-manylinux_2_17_x86_64', 'cp311-cp311-manylinux2014_x86_64'],
      size: 3,
      sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    });
    const summary = buildSummary({
      wheels: [wheel],
      sdist: { path: path.join(dir, 'setup-0.1.0.tar.gz'), size: 2048, sha256: 'f00d' },
      target: 'x86_64-unknown-linux-gnu',
      durationMs: 65_000,
      where: 'on the host',
      cacheHit: true,
      reproducible: {
        wheel: 'settings applied, SBOM normalised',
        sdist: 'settings applied',
        note: 'The note.',
      },
    });
    expect(summary).toContain(
      '1 wheel(s) for `x86_64-unknown-linux-gnu` built on the host in 1 min 5 s, cargo cache hit.',
    );
    expect(summary).toContain(
      `| \`${wheel.filename}\` | \`cp311-cp311-manylinux_2_17_x86_64\`<br>\`cp311-cp311-manylinux2014_x86_64\` | 3 B | \`${wheel.sha256}\` | settings applied, SBOM normalised |`,
    );
    expect(summary).toContain('| `setup-0.1.0.tar.gz` | sdist | 2.0 KiB | `f00d` | settings applied |');
    expect(summary).toContain('\nThe note.');
  });

  it('rejects a file that is not a wheel name', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'artifacts-'));
    writeFileSync(path.join(dir, 'bad.whl'), '');
    await expect(describeWheel(path.join(dir, 'bad.whl'))).rejects.toThrow('maturin produced bad.whl');
  });
});
