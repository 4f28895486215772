/**
 * The ELF, Mach-O and PE readers on real extension modules: published wheels from PyPI (pinned by
 * SHA256, downloaded once per machine) for macOS, Windows and the Linux architectures this machine
 * cannot build, and a wheel built here by maturin.
 */
import { describe, expect, it } from '@jest/globals';
import { buildExampleWheel } from '../../harness/src/example-wheel.js';
import { type PinnedWheel, pinnedWheel } from '../../harness/src/pypi-fixtures.js';
import { binaryExports, binaryFormat } from '../src/binary/exports.js';
import { extensionModules } from '../src/wheel-contents.js';
import { listZipEntries, readZipEntry } from '../src/zip.js';

/** The bytes of a wheel's one extension module. */
function extensionOf(wheel: string): Buffer {
  const entries = listZipEntries(wheel);
  const [module] = extensionModules(entries.map((e) => e.name));
  const entry = entries.find((e) => e.name === module!.entry)!;
  return readZipEntry(wheel, entry);
}

const MARKUPSAFE: Record<string, PinnedWheel & { format: string; arches: string[] }> = {
  'Mach-O fat (universal2: x86_64 + arm64)': {
    url: 'https://files.pythonhosted.org/packages/53/bd/583bf3e4c8d6a321938c13f49d44024dbe5ed63e0a7ba127e454a66da974/MarkupSafe-2.1.5-cp312-cp312-macosx_10_9_universal2.whl',
    sha256: '8dec4936e9c3100156f8a2dc89c4b88d5c435175ff03413b443469c7c8c5f4d1',
    format: 'mach-o',
    arches: ['x86_64', 'arm64'],
  },
  'Mach-O thin arm64': {
    url: 'https://files.pythonhosted.org/packages/9c/d9/5f7756922cdd676869eca1c4e3c0cd0df60ed30199ffd775e319089cb3ed/markupsafe-3.0.3-cp313-cp313-macosx_11_0_arm64.whl',
    sha256: '116bb52f642a37c115f517494ea5feb03889e04df47eeff5b130b1808ce7c219',
    format: 'mach-o',
    arches: ['arm64'],
  },
  'PE32+ (win_amd64)': {
    url: 'https://files.pythonhosted.org/packages/05/73/c4abe620b841b6b791f2edc248f556900667a5a1cf023a6646967ae98335/markupsafe-3.0.3-cp313-cp313-win_amd64.whl',
    sha256: '9a1abfdc021a164803f4d485104931fb8f8c1efd55bc6b748d2f5774e78b62c5',
    format: 'pe',
    arches: ['x86_64'],
  },
  'PE32 (win32)': {
    url: 'https://files.pythonhosted.org/packages/19/bc/e7140ed90c5d61d77cea142eed9f9c303f4c4806f60a1044c13e3f1471d0/markupsafe-3.0.3-cp313-cp313-win32.whl',
    sha256: 'bdd37121970bfd8be76c5fb069c7751683bdf373db1ed6c010162b2a130248ed',
    format: 'pe',
    arches: ['x86'],
  },
  'PE32+ (win_arm64)': {
    url: 'https://files.pythonhosted.org/packages/f0/3a/fa34a0f7cfef23cf9500d68cb7c32dd64ffd58a12b09225fb03dd37d5b80/markupsafe-3.0.3-cp313-cp313-win_arm64.whl',
    sha256: '7e68f88e5b8799aa49c85cd116c932a1ac15caaa3f5db09087854d218359e485',
    format: 'pe',
    arches: ['arm64'],
  },
  'ELF 32-bit little-endian (i686)': {
    url: 'https://files.pythonhosted.org/packages/2d/75/fd6cb2e68780f72d47e6671840ca517bda5ef663d30ada7616b0462ad1e3/MarkupSafe-2.1.5-cp312-cp312-manylinux_2_5_i686.manylinux1_i686.manylinux_2_17_i686.manylinux2014_i686.whl',
    sha256: 'ea3d8a3d18833cf4304cd2fc9cbb1efe188ca9b5efef2bdac7adc20594a0e46b',
    format: 'elf',
    arches: ['x86'],
  },
};

describe('binaryExports on published extension modules', () => {
  it.each(Object.entries(MARKUPSAFE))('%s exports PyInit__speedups only', async (_, pin) => {
    const bytes = extensionOf(await pinnedWheel(pin));
    const read = binaryExports(bytes);
    if (!read.ok) throw new Error(read.problem);
    expect(read.value.format).toBe(pin.format);
    expect(read.value.slices.map((s) => s.arch)).toEqual(pin.arches);
    for (const slice of read.value.slices) {
      // The C module's other functions are static: only the init function is exported.
      expect([...slice.exports].filter((n) => n.startsWith('PyInit') || n.includes('escape'))).toEqual([
        'PyInit__speedups',
      ]);
    }
  });

  it('reads a big-endian 64-bit ELF (s390x, musllinux)', async () => {
    const wheel = await pinnedWheel({
      url: 'https://files.pythonhosted.org/packages/5c/ec/33deac3625109d26dcf7a44a6baec04e3eea26b2ec67cc0cf43577ea218e/propcache-0.5.3-cp313-cp313-musllinux_1_2_s390x.whl',
      sha256: '45115e5e32fcc253de3f14633ca1c982239c9ba37ba41ca45a7e30b3afeb3b77',
    });
    const read = binaryExports(extensionOf(wheel));
    if (!read.ok) throw new Error(read.problem);
    expect(read.value.format).toBe('elf');
    expect(read.value.slices).toEqual([{ arch: 's390x', exports: expect.any(Set) }]);
    expect([...read.value.slices[0]!.exports].filter((n) => n.startsWith('PyInit_'))).toEqual([
      'PyInit__helpers_c',
    ]);
  });

  it('reads the 64-bit ELF maturin builds here (pyo3: PyInit_setup and nothing it imports)', () => {
    const { wheel } = buildExampleWheel('setup');
    const read = binaryExports(extensionOf(wheel));
    if (!read.ok) throw new Error(read.problem);
    expect(read.value.slices[0]!.arch).toBe(process.arch === 'arm64' ? 'aarch64' : 'x86_64');
    const exports = read.value.slices[0]!.exports;
    expect(exports.has('PyInit_setup')).toBe(true);
    // Undefined (imported) symbols such as PyModuleDef_Init are not exports: libpython defines them.
    expect([...exports]).toEqual(['PyInit_setup']);
  }, 300_000);
});

describe('binaryExports on what is not a readable binary', () => {
  it('names a file of another kind', () => {
    expect(binaryExports(Buffer.from('#!/bin/sh\necho hi\n'))).toEqual({
      ok: false,
      problem: 'is not an ELF, Mach-O or PE binary',
    });
    expect(binaryFormat(Buffer.alloc(2))).toBeUndefined();
  });

  it.each(Object.entries(MARKUPSAFE).slice(0, 3))(
    'turns a truncated %s into a problem, not a crash',
    async (_, pin) => {
      const bytes = extensionOf(await pinnedWheel(pin));
      const read = binaryExports(bytes.subarray(0, 200));
      expect(read.ok).toBe(false);
      if (!read.ok) expect(read.problem).toMatch(/^is a truncated or malformed (mach-o|pe) file/);
    },
  );

  it('turns an ELF whose section table points past the end into a problem', () => {
    const elf = Buffer.alloc(64);
    elf.writeUInt32BE(0x7f454c46, 0);
    elf[4] = 2; // 64-bit
    elf[5] = 1; // little-endian
    elf.writeBigUInt64LE(4096n, 0x28); // e_shoff beyond the file
    elf.writeUInt16LE(64, 0x3a);
    elf.writeUInt16LE(3, 0x3c);
    const read = binaryExports(elf);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.problem).toMatch(/^is a truncated or malformed elf file/);
  });
});
