/**
 * The container tests' image: built from Debian's packages (no registry; bookworm, pinned),
 * shaped like pypa's images where build's container script looks. Needs a docker engine: without one this fails with the
 * reason (scripts/ensure-docker.sh starts it), never skips.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from '@jest/globals';
import { aptMirror, imageWithoutPython, manylinuxTestImage } from '../src/docker-images.js';

const inImage = (image: string, script: string) =>
  execFileSync(
    'docker',
    ['run', '--rm', '--pull', 'never', '--network', 'none', image, 'bash', '-c', script],
    {
      encoding: 'utf8',
    },
  );

describe('the manylinux-like test image', () => {
  it('reads the Debian mirror apt is configured with', () => {
    expect(aptMirror()).toMatch(/^https?:\/\/\S+\/debian\/?$/);
  });

  it('has CPythons under /opt/python, a C compiler and cargo, without any network', async () => {
    const image = await manylinuxTestImage();
    const out = inImage(
      image,
      'for d in /opt/python/cp3*/bin; do "$d/python3" -c "import sys; print(sys.version_info[:2])"; done; command -v cc; cargo --version; rustc --print sysroot',
    );
    expect(out).toMatch(/^\(3, \d+\)\n\/usr\/bin\/cc\ncargo 1\.\d+\.\d+ .*\n\/usr\/local\/rust\n$/);
  }, 600_000);

  it('has a variant without any CPython', async () => {
    const image = await imageWithoutPython();
    expect(inImage(image, 'ls /opt/python 2>&1; command -v python3 || echo none')).toMatch(
      /No such file.*\nnone\n$/s,
    );
  }, 600_000);
});
