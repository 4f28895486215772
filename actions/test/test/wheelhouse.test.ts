/**
 * The wheelhouse a container installs from: pip download's target options from the container
 * interpreter's tags, and pip-download.py (linted, and run for real against PyPI) evaluating
 * markers for that interpreter rather than the runner's.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { freshDir, tool } from '@ferrowheel/harness/workdirs';
import { exec } from '@ferrowheel/kit/exec';
import { describe, expect, it } from '@jest/globals';
import { createWheelhouse, pipDownloadScript, targetOptions } from '../src/wheelhouse.js';

const RUFF = ['--no-cache', '--isolated', '--target-version', 'py38', '--line-length', '100'];

/** A CPython 3.10 on aarch64, as facts.py in its container reports it. */
const target = {
  implementation: 'cpython',
  major: 3,
  minor: 10,
  tags: [
    'cp310-cp310-manylinux_2_36_aarch64',
    'cp310-cp310-manylinux_2_17_aarch64',
    'cp310-abi3-manylinux_2_36_aarch64',
    'cp310-none-linux_aarch64',
    'py3-none-any',
  ],
  markers: {
    implementation_name: 'cpython',
    implementation_version: '3.10.13',
    os_name: 'posix',
    platform_machine: 'aarch64',
    platform_release: '',
    platform_system: 'Linux',
    platform_version: '',
    python_full_version: '3.10.13',
    platform_python_implementation: 'CPython',
    python_version: '3.10',
    sys_platform: 'linux',
  },
  description: 'CPython 3.10.13 (linux aarch64, glibc 2.36)',
};

describe('targetOptions', () => {
  it("gives pip the interpreter's platforms, best first, its version, ABI and implementation", () => {
    expect(targetOptions(target)).toEqual([
      '--only-binary=:all:',
      '--platform',
      'manylinux_2_36_aarch64',
      '--platform',
      'manylinux_2_17_aarch64',
      '--platform',
      'linux_aarch64',
      '--python-version',
      '3.10',
      '--implementation',
      'cp',
      '--abi',
      'cp310',
    ]);
    expect(
      targetOptions({ ...target, tags: ['cp314-cp314t-manylinux_2_39_x86_64', 'py3-none-any'] }),
    ).toContain('cp314t');
  });
});

describe('pip-download.py', () => {
  it('passes ruff check and ruff format', () => {
    expect(() =>
      execFileSync(tool('ruff'), ['check', ...RUFF, '--select', 'E,F,W,I,B,UP', pipDownloadScript()], {
        stdio: 'pipe',
      }),
    ).not.toThrow();
    expect(() =>
      execFileSync(tool('ruff'), ['format', '--check', ...RUFF, pipDownloadScript()], { stdio: 'pipe' }),
    ).not.toThrow();
  });

  it("downloads for the container's Python: pytest's markers evaluated for 3.10, not the runner's 3.11", async () => {
    const dir = freshDir('wheelhouse');
    const wheelhouse = createWheelhouse(
      { dir: path.join(dir, 'wheelhouse'), python: tool('python'), target },
      exec,
    );
    await wheelhouse.fill(['pytest==8.3.5'], { cwd: dir });
    const files = readdirSync(wheelhouse.dir)
      .filter((f) => f.endsWith('.whl'))
      .sort();
    // pytest 8.3 needs tomli and exceptiongroup below Python 3.11 only.
    expect(files).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^pytest-8\.3\.5-/),
        expect.stringMatching(/^tomli-/),
        expect.stringMatching(/^exceptiongroup-/),
      ]),
    );
    const newer = createWheelhouse(
      {
        dir: path.join(dir, 'wheelhouse-312'),
        python: tool('python'),
        target: {
          ...target,
          minor: 12,
          tags: target.tags.map((t) => t.replace(/cp310/g, 'cp312')),
          markers: { ...target.markers, python_version: '3.12', python_full_version: '3.12.1' },
        },
      },
      exec,
    );
    await newer.fill(['pytest==8.3.5'], { cwd: dir });
    expect(readdirSync(newer.dir).some((f) => f.startsWith('tomli-'))).toBe(false);
  }, 120_000);

  it('says which requirement has no wheel for the platform', async () => {
    const dir = freshDir('wheelhouse-bad');
    const wheelhouse = createWheelhouse(
      { dir: path.join(dir, 'wheelhouse'), python: tool('python'), target },
      exec,
    );
    await expect(wheelhouse.fill(['ferrowheel-no-such-package-xyz'], { cwd: dir })).rejects.toThrow(
      /Could not download the test requirements for CPython 3\.10\.13 \(linux aarch64, glibc 2\.36\) on the runner[\s\S]*Every requirement needs a wheel for this platform \(cp310-cp310-manylinux_2_36_aarch64\)/,
    );
  }, 120_000);
});
