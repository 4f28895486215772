import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ProjectError } from '@ferrowheel/kit/errors';
import { describe, expect, it } from '@jest/globals';
import { requestedMaturin } from '../src/requested-version.js';

function project(pyproject?: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'setup-maturin-req-'));
  if (pyproject !== undefined) writeFileSync(path.join(dir, 'pyproject.toml'), pyproject);
  return dir;
}

function projectError(fn: () => unknown): string {
  try {
    fn();
  } catch (thrown) {
    expect(thrown).toBeInstanceOf(ProjectError);
    return (thrown as Error).message;
  }
  throw new Error('expected a ProjectError');
}

const maturinProject = (requires: string) =>
  `[build-system]\nrequires = [${requires}]\nbuild-backend = "maturin"\n\n[project]\nname = "x"\n`;

describe('requestedMaturin', () => {
  it('takes the input over pyproject.toml', () => {
    const dir = project(maturinProject('"maturin>=1.5,<2.0"'));
    const { requested, warnings } = requestedMaturin('==1.16.0', dir);
    expect(requested).toEqual({
      constraint: '==1.16.0',
      origin: "input 'version'",
      fix: "Change the 'version' input.",
    });
    expect(warnings).toEqual([]);
  });

  it('reads the maturin requirement from [build-system].requires', () => {
    const dir = project(maturinProject('"setuptools", "maturin >= 1.5, < 2.0"'));
    const { requested, warnings } = requestedMaturin('', dir);
    expect(requested.constraint).toBe('>=1.5,<2.0');
    expect(requested.origin).toBe(
      `[build-system].requires in ${path.join(dir, 'pyproject.toml')} ('maturin >= 1.5, < 2.0')`,
    );
    expect(warnings).toEqual([]);
  });

  it('ignores extras and markers, and accepts a requirement without a version', () => {
    expect(
      requestedMaturin('', project(maturinProject(`"maturin[zig]~=1.8; python_version >= '3.8'"`))).requested
        .constraint,
    ).toBe('~=1.8');
    expect(requestedMaturin('', project(maturinProject('"maturin"'))).requested.constraint).toBe('');
  });

  it('asks for any version when there is no pyproject.toml', () => {
    const dir = project();
    const { requested, warnings } = requestedMaturin('', dir);
    expect(requested.constraint).toBe('');
    expect(requested.origin).toBe(`no pyproject.toml in ${dir}`);
    expect(warnings).toEqual([]);
  });

  it('warns, naming the file, when the project does not build with maturin', () => {
    const dir = project(
      '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n',
    );
    const { requested, warnings } = requestedMaturin('', dir);
    expect(requested.constraint).toBe('');
    expect(warnings).toEqual([
      `${path.join(dir, 'pyproject.toml')} builds with 'setuptools.build_meta' and does not list maturin in [build-system].requires, so maturin's version cannot be taken from it; installing the newest. Point 'working-directory' at the maturin project, or set 'version'.`,
    ]);
  });

  it('fails on a pyproject.toml that is not valid TOML, naming the file', () => {
    const dir = project('[build-system\nrequires = ["maturin"]\n');
    const message = projectError(() => requestedMaturin('', dir));
    expect(message).toMatch(
      new RegExp(`^${path.join(dir, 'pyproject.toml').replace(/[/.]/g, '\\$&')}: is not valid TOML \\(`),
    );
    expect(message).toMatch(/Fix the syntax error\.$/);
  });

  it('fails on a pyproject.toml that cannot be read', () => {
    const dir = project();
    mkdirSync(path.join(dir, 'pyproject.toml'));
    const message = projectError(() => requestedMaturin('', dir));
    expect(message).toBe(
      `${path.join(dir, 'pyproject.toml')}: is a directory, not a file. Remove or rename that directory, or set the 'version' input so pyproject.toml is not needed.`,
    );
  });

  it('fails on a maturin requirement whose version is not PEP 440', () => {
    const dir = project(maturinProject('"maturin>=one"'));
    expect(projectError(() => requestedMaturin('', dir))).toBe(
      `${path.join(dir, 'pyproject.toml')}: its maturin requirement 'maturin>=one' has no valid PEP 440 version constraint. Write it like 'maturin>=1.6,<2', or set the 'version' input.`,
    );
  });
});
