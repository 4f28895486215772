import { describe, expect, it } from '@jest/globals';
import { hostPython, hostPythonOf, pathWith } from '../src/host-python.js';

describe('the CPythons of this machine', () => {
  // The integration tests build and test a wheel on each of these (README: what the tests need).
  it.each(['3.10', '3.11', '3.12', '3.13'])('has a working CPython %s', (version) => {
    const python = hostPythonOf(version);
    expect(python.path).toMatch(new RegExp(`python${version.replace('.', '\\.')}$`));
    expect(pathWith([python], '/usr/bin').split(':')).toEqual([python.binDir, '/usr/bin']);
  });

  it("finds python3's own version among them, with its wheel tag", () => {
    const { version, tag } = hostPython();
    expect(tag).toBe(`cp${version.replace('.', '')}`);
    expect(hostPythonOf(version).version).toBe(version);
  });

  it('says which version is missing and how to install it', () => {
    expect(() => hostPythonOf('3.99')).toThrow(
      /^CPython 3\.99 is not on this machine: none under .*versions and no working python3\.99 on PATH\. Install it \(pyenv install 3\.99, or actions\/setup-python on a GitHub runner\) and run the tests again\.$/,
    );
  });
});
