import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ProjectError } from '../src/errors.js';
import { describeFsError, findUp, formatBytes, sha256, sha256File } from '../src/files.js';
import {
  distributionName,
  isAbi3Project,
  isAbi3tProject,
  maturinManifestPath,
  readToml,
  readTomlIfExists,
  tomlString,
  tomlStrings,
} from '../src/project.js';
import { formatDuration, markdownTable } from '../src/summary.js';

describe('project files', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'fw-kit-'));
  it('reads TOML values by path', () => {
    const file = path.join(dir, 'pyproject.toml');
    writeFileSync(file, '[build-system]\nrequires = ["maturin>=1.6,<2.0"]\nbuild-backend = "maturin"\n');
    const toml = readToml(file);
    expect(tomlStrings(toml, ['build-system', 'requires'])).toEqual(['maturin>=1.6,<2.0']);
    expect(tomlString(toml, ['build-system', 'build-backend'])).toBe('maturin');
    expect(tomlString(toml, ['project', 'name'])).toBeUndefined();
    expect(readTomlIfExists(path.join(dir, 'nope.toml'))).toBeUndefined();
  });
  it('names the file and the problem for invalid TOML', () => {
    const file = path.join(dir, 'Cargo.toml');
    writeFileSync(file, '[package\nname = "x"\n');
    expect(() => readToml(file)).toThrow(ProjectError);
    expect(() => readToml(file)).toThrow(`${file}: is not valid TOML`);
  });
  it('says in words why a TOML file cannot be read, never the raw errno', () => {
    const file = path.join(dir, 'as-dir', 'pyproject.toml');
    mkdirSync(file, { recursive: true });
    expect(() => readToml(file)).toThrow(
      `${file}: is a directory, not a file. Make pyproject.toml a readable file.`,
    );
    expect(describeFsError(Object.assign(new Error('x'), { code: 'ENOENT' }))).toBe('does not exist');
    expect(describeFsError(Object.assign(new Error('x'), { code: 'EWEIRD' }))).toBe(
      'cannot be read (EWEIRD)',
    );
  });
  it('finds files upwards, stopping at the given directory', () => {
    const deep = path.join(dir, 'a', 'b');
    mkdirSync(deep, { recursive: true });
    writeFileSync(path.join(dir, 'a', 'rust-toolchain.toml'), '[toolchain]\nchannel = "1.95.0"\n');
    expect(findUp(deep, ['rust-toolchain', 'rust-toolchain.toml'])).toBe(
      path.join(dir, 'a', 'rust-toolchain.toml'),
    );
    expect(findUp(deep, ['rust-toolchain.toml'], deep)).toBeUndefined();
  });
  it('hashes files and strings alike', async () => {
    const file = path.join(dir, 'data');
    writeFileSync(file, 'abc');
    expect(await sha256File(file)).toBe(sha256('abc'));
    expect(sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('summary formatting', () => {
  it('renders tables with escaped cells', () => {
    expect(markdownTable(['a', 'b'], [['x|y', 1]])).toBe('| a | b |\n| --- | --- |\n| x\\|y | 1 |\n');
  });
  it('formats sizes and durations', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.0 MiB');
    expect(formatDuration(250)).toBe('250 ms');
    expect(formatDuration(12_340)).toBe('12.3 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
  });
});

describe('what maturin reads from the project', () => {
  it('takes the name from [project], else the crate; the manifest from [tool.maturin], else Cargo.toml', () => {
    const cargo = { package: { name: 'crate-name' } };
    expect(distributionName({ project: { name: 'dist-name' } }, cargo)).toBe('dist-name');
    expect(distributionName({}, cargo)).toBe('crate-name');
    expect(distributionName(undefined, undefined)).toBeUndefined();
    expect(maturinManifestPath({ tool: { maturin: { 'manifest-path': 'rust/Cargo.toml' } } })).toBe(
      'rust/Cargo.toml',
    );
    expect(maturinManifestPath(undefined)).toBe('Cargo.toml');
  });
  it('tells abi3 from abi3t (PEP 803) by the pyo3 features of Cargo.toml and [tool.maturin]', () => {
    const cargo = (features: string[]) => ({ dependencies: { pyo3: { version: '0.30', features } } });
    expect(isAbi3Project(cargo(['abi3-py39']), undefined)).toBe(true);
    expect(isAbi3tProject(cargo(['abi3-py39']), undefined)).toBe(false);
    expect(isAbi3tProject(cargo(['abi3-py39', 'abi3t-py315']), undefined)).toBe(true);
    expect(isAbi3Project(cargo(['abi3t']), undefined)).toBe(false);
    expect(isAbi3tProject(cargo([]), { tool: { maturin: { features: ['pyo3/abi3t'] } } })).toBe(true);
  });
});
