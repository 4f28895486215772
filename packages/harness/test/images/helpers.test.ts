/**
 * The image helper files are code, checked like the TypeScript: shell by shellcheck (Debian's;
 * scripts/ensure-docker.sh installs it), Python by ruff. make-root.sh, make-layer.sh, in-chroot.sh
 * and zigcc run in the integration tests that build the images; overlay-whiteouts.py runs here.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { asRootArgv, helpersDir } from '../../src/images/privileged.js';
import { runAsRootSync } from '../../src/privilege.js';
import { ruffCheck, shellcheck } from '../../src/script-lint.js';
import { freshDir, repoRoot } from '../../src/workdirs.js';

const shellFiles = [
  ...readdirSync(helpersDir)
    .filter((f) => f.endsWith('.sh') || f === 'zigcc')
    .map((f) => path.join(helpersDir, f)),
  ...['ensure-qemu.sh', 'matrix.sh', 'images.sh'].map((f) => path.join(repoRoot, 'scripts', f)),
  path.join(repoRoot, 'scripts', 'lib', 'as-root.sh'),
];

describe('the image helper files', () => {
  it.each(shellFiles.map((f) => path.relative(repoRoot, f)))('%s passes shellcheck', (file) => {
    expect(() => shellcheck(file, { followSources: true })).not.toThrow();
  });

  it('overlay-whiteouts.py passes ruff check and ruff format', () => {
    expect(() => ruffCheck(path.join(helpersDir, 'overlay-whiteouts.py'))).not.toThrow();
  });

  it("overlay-whiteouts.py turns a real overlay's whiteouts and opaque directories into docker's", () => {
    const dir = freshDir('overlay');
    for (const d of ['lower/etc/replaced', 'upper', 'work', 'merged'])
      mkdirSync(path.join(dir, d), { recursive: true });
    writeFileSync(path.join(dir, 'lower/etc/gone'), 'gone\n');
    writeFileSync(path.join(dir, 'lower/etc/replaced/old'), 'old\n');
    // Mounting needs root: directly, or through sudo -n (as the helpers run).
    const asRoot = (program: string, ...args: string[]) => runAsRootSync(program, args);
    const merged = path.join(dir, 'merged');
    const options = `lowerdir=${dir}/lower,upperdir=${dir}/upper,workdir=${dir}/work`;
    asRoot('mount', '-t', 'overlay', 'overlay', '-o', options, merged);
    try {
      asRoot('rm', path.join(merged, 'etc/gone'));
      asRoot('rm', '-r', path.join(merged, 'etc/replaced'));
      asRoot('mkdir', path.join(merged, 'etc/replaced'));
      asRoot('cp', path.join(dir, 'lower/etc/replaced/old'), path.join(merged, 'etc/kept'));
    } finally {
      asRoot('umount', merged);
    }
    asRoot('python3', path.join(helpersDir, 'overlay-whiteouts.py'), path.join(dir, 'upper'));
    expect(readdirSync(path.join(dir, 'upper/etc')).sort()).toEqual(['.wh.gone', 'kept', 'replaced']);
    expect(readdirSync(path.join(dir, 'upper/etc/replaced'))).toEqual(['.wh..wh..opq']);
  });

  it('run as root directly, and through sudo -n for any other user, the data as env assignments', () => {
    expect(asRootArgv('/x/make-root.sh', { FW_OUT: '/tmp/a b', FW_ARCH: 'arm64' }, { kind: 'root' })).toEqual(
      ['/usr/bin/env', ['FW_OUT=/tmp/a b', 'FW_ARCH=arm64', 'bash', '/x/make-root.sh']],
    );
    expect(asRootArgv('/x/make-root.sh', { FW_OUT: '/tmp/a b' }, { kind: 'sudo' })).toEqual([
      'sudo',
      ['-n', '/usr/bin/env', 'FW_OUT=/tmp/a b', 'bash', '/x/make-root.sh'],
    ]);
  });
});
