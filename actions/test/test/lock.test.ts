import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CommandError, UserError } from '@ferrowheel/kit/errors';
import { readToml } from '@ferrowheel/kit/project';
import { locateProject } from '@ferrowheel/kit/project-layout';
import { fail, ok } from '@ferrowheel/kit/result';
import { describe, expect, it } from '@jest/globals';
import { lockCoverage, lockedRequirements, parseExport } from '../src/lock.js';
import { markerEnvironment } from '../src/markers.js';
import { pylockGroups, selectPylockPackages } from '../src/pylock.js';

const facts = {
  os: 'linux' as const,
  implementation: 'cpython',
  version: '3.11.7',
  major: 3,
  minor: 11,
  machine: 'x86_64',
};
const env = markerEnvironment(facts);

/** What the locator says of the project in `dir`: its lock, group sources, membership. */
function located(dir: string) {
  const layout = locateProject({ dir, workspace: dir });
  return { lock: layout.lock, groupSources: layout.groupSources, workspaceMember: layout.uv.member };
}
/** No uv to be had (none on PATH, the pinned one not installable). */
const NO_UV = async () => fail('uv is not on PATH, and the pinned uv could not be installed (offline)');
const UV_AT = (program: string) => async () => ok(program);
const tomlDir = mkdtempSync(path.join(os.tmpdir(), 'ferrowheel-toml-'));
let tomlCount = 0;
/** A TOML text as the kit reads it (from a file). */
function parse(text: string) {
  const file = path.join(tomlDir, `${++tomlCount}.toml`);
  writeFileSync(file, text);
  return readToml(file);
}

describe('uv export output', () => {
  it('keeps each pinned requirement with its hashes and markers, and constraints without hashes', () => {
    const text = `colorama==0.4.6 ; sys_platform == 'win32' \\
    --hash=sha256:aaa \\
    --hash=sha256:bbb
    # via pytest
pytest==8.3.5 \\
    --hash=sha256:ccc
    # via setup
Pygments_Lib==2.0 \\
    --hash=sha256:ddd
`;
    expect(parseExport(text)).toEqual({
      lines: [
        "colorama==0.4.6 ; sys_platform == 'win32' --hash=sha256:aaa --hash=sha256:bbb",
        'pytest==8.3.5 --hash=sha256:ccc',
        'Pygments_Lib==2.0 --hash=sha256:ddd',
      ],
      constraints: ["colorama==0.4.6 ; sys_platform == 'win32'", 'pytest==8.3.5', 'Pygments_Lib==2.0'],
      pinned: new Set(['colorama', 'pytest', 'pygments-lib']),
    });
    expect(() => parseExport('-e ./sample\n')).toThrow(UserError);
    // Everything on a line is parsed: nothing but a name, a version, a marker and hashes passes.
    expect(() =>
      parseExport('attrs==23.2.0 --extra-index-url https://attacker.example/simple --hash=sha256:ab\n'),
    ).toThrow(/cannot install with hashes: "attrs==23.2.0 --extra-index-url/);
    expect(() => parseExport('attrs==23.2.0 --hash=sha256:ab --index-url=https://a.example\n')).toThrow(
      UserError,
    );
    expect(() => parseExport('attrs==23.2.0 --hash=sha256:XY\n')).toThrow(UserError);
    expect(() => parseExport('attrs==23.2.0+x,--pre --hash=sha256:ab\n', 'uv.lock')).toThrow(
      'uv.lock: uv export gave package \'attrs\' a version that is not a PEP 440 version: "23.2.0+x,--pre". Regenerate the lock with uv lock',
    );
    expect(() =>
      parseExport("attrs==23.2.0 ; python_version >= '3' -i https://a.example --hash=sha256:ab\n"),
    ).toThrow(/a marker holding an option/);
    expect(() => parseExport('attrs.==1.0 --hash=sha256:ab\n')).toThrow(
      /not a valid project name: "attrs\."/,
    );
    expect(() => parseExport('./vendor/thing\n')).toThrow(/path or VCS dependency has no hash/);
  });
});

describe('lock coverage', () => {
  const uv = { kind: 'uv' as const, path: '/p/uv.lock', label: 'uv.lock' };
  it('says when the lock does not cover the interpreter', () => {
    expect(lockCoverage({ 'requires-python': '>=3.9' }, uv, env, 'CPython 3.11.7')).toBeUndefined();
    expect(lockCoverage({ 'requires-python': '>=3.12' }, uv, env, 'CPython 3.11.7')).toBe(
      'uv.lock is locked for Python >=3.12, which does not cover the test interpreter, CPython 3.11.7',
    );
    expect(
      lockCoverage(
        { 'supported-markers': ["sys_platform == 'darwin'", "sys_platform == 'win32'"] },
        uv,
        env,
        'CPython 3.11.7',
      ),
    ).toBe(
      `uv.lock is locked only for the environments "sys_platform == 'darwin'" or "sys_platform == 'win32'", which do not include the test interpreter, CPython 3.11.7`,
    );
    expect(lockCoverage({ 'supported-markers': ["sys_platform == 'linux'"] }, uv, env, 'x')).toBeUndefined();
    const pylock = { kind: 'pylock' as const, path: '/p/pylock.toml', label: 'pylock.toml' };
    expect(lockCoverage({ environments: ["os_name == 'nt'"] }, pylock, env, 'x')).toMatch(/locked only for/);
  });
});

describe('lockedRequirements', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ferrowheel-lock-'));
  const request = {
    uv: NO_UV,
    groupSources: [],
    workspaceMember: false,
    workingDirectory: dir,
    projects: new Set(['setup']),
    extras: [],
    groups: [],
    interpreter: { ...facts, executable: '/usr/bin/python3', description: 'CPython 3.11.7' },
    hostPython: '/usr/bin/python3',
    workDir: dir,
  };
  const noExec = async () => {
    throw new Error('no command expected');
  };

  it('off and no lock: unlocked; require without a lock fails and says how to make one', async () => {
    expect(await lockedRequirements({ ...request, mode: 'off', lock: undefined }, noExec)).toEqual({
      unlocked: 'lock: off',
    });
    expect(located(dir).lock).toBeUndefined();
    expect(await lockedRequirements({ ...request, mode: 'auto', lock: undefined }, noExec)).toEqual({
      unlocked: 'no uv.lock or pylock.toml in the project',
    });
    await expect(
      lockedRequirements({ ...request, mode: 'require', lock: undefined }, noExec),
    ).rejects.toThrow(
      `Input 'lock' is 'require', but ${dir} has no uv.lock or pylock.toml. Create one with \`uv lock\` (or \`pip lock\`) and commit it, or set 'lock' to auto.`,
    );
  });

  it('uv.lock without uv: a warning with auto, an error with require', async () => {
    writeFileSync(path.join(dir, 'uv.lock'), 'version = 1\nrequires-python = ">=3.9"\n');
    const lock = located(dir).lock!;
    expect(lock).toEqual({ kind: 'uv', path: path.join(dir, 'uv.lock'), label: 'uv.lock' });
    const auto = await lockedRequirements({ ...request, mode: 'auto', lock }, noExec);
    expect(auto).toMatchObject({
      warning: expect.stringMatching(
        /^uv\.lock can only be exported by uv, and no uv could be had: uv is not on PATH, and the pinned uv could not be installed \(offline\); installing without the lock\. Put uv on PATH before this step/,
      ),
    });
    await expect(lockedRequirements({ ...request, mode: 'require', lock }, noExec)).rejects.toThrow(
      /^uv\.lock can only be exported by uv, and no uv could be had: .*\(offline\)\. Put uv on PATH before this step \(astral-sh\/setup-uv\), or set 'lock' to auto or off\.$/,
    );
  });
});

describe('a lock that does not cover the test interpreter', () => {
  it('is reported: auto installs unlocked with a warning, require fails', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ferrowheel-lock-python-'));
    writeFileSync(path.join(dir, 'uv.lock'), 'version = 1\nrequires-python = ">=3.12"\n');
    const request = {
      ...located(dir),
      uv: UV_AT('/usr/bin/uv'),
      workingDirectory: dir,
      projects: new Set(['setup']),
      extras: [],
      groups: [],
      interpreter: { ...facts, executable: 'python3', description: 'CPython 3.11.7 (linux x86_64)' },
      hostPython: 'python3',
      workDir: dir,
    };
    const noExec = async () => {
      throw new Error('uv export must not run for a lock that does not cover the interpreter');
    };
    const message =
      'uv.lock is locked for Python >=3.12, which does not cover the test interpreter, CPython 3.11.7 (linux x86_64)';
    expect(await lockedRequirements({ ...request, mode: 'auto' }, noExec)).toEqual({
      unlocked: message,
      warning: `${message}; installing without the lock.`,
    });
    await expect(lockedRequirements({ ...request, mode: 'require' }, noExec)).rejects.toThrow(
      `${message}. Lock for this Python and platform too (Refresh it with \`uv lock\` in the project and commit it), or test with an interpreter the lock covers.`,
    );
  });
});

describe('pylock.toml', () => {
  const lockText = `
lock-version = "1.0"
requires-python = ">=3.9"
extras = ["plot"]
dependency-groups = ["test", "docs"]
default-groups = ["test"]
created-by = "test"

[[packages]]
name = "pytest"
version = "8.3.5"
marker = "'test' in dependency_groups"
wheels = [{ url = "https://files/pytest-8.3.5-py3-none-any.whl", hashes = { sha256 = "f1" } }]

[[packages]]
name = "colorama"
version = "0.4.6"
marker = "sys_platform == 'win32' and 'test' in dependency_groups"
wheels = [{ url = "https://files/colorama.whl", hashes = { sha256 = "c1" } }]

[[packages]]
name = "matplotlib-lite"
version = "1.0"
marker = "'plot' in extras"
sdist = { url = "https://files/m.tar.gz", hashes = { sha256 = "e1" } }

[[packages]]
name = "Setup"
version = "0.1.0"
directory = { path = "." }

[[packages]]
name = "helper"
directory = { path = "./helper" }
`;
  const lock = parse(lockText);
  it('selects the packages whose markers hold, with their hashes, never the project', () => {
    const selection = selectPylockPackages(
      lock,
      'pylock.toml',
      markerEnvironment(facts, { groups: ['test'] }),
      new Set(['setup']),
    );
    expect(selection.lines).toEqual(['pytest==8.3.5 --hash=sha256:f1']);
    expect([...selection.pins]).toEqual([['pytest', '8.3.5']]);
    expect(selection.skipped).toEqual([
      'Setup: the project itself (the wheel under test is installed instead)',
      'helper: a local directory, not a locked release',
    ]);
    const withExtra = selectPylockPackages(
      lock,
      'pylock.toml',
      markerEnvironment({ ...facts, os: 'windows' }, { groups: ['test'], extras: ['plot'] }),
      new Set(['setup']),
    );
    expect(withExtra.lines).toEqual([
      'pytest==8.3.5 --hash=sha256:f1',
      'colorama==0.4.6 --hash=sha256:c1',
      'matplotlib-lite==1.0 --hash=sha256:e1',
    ]);
  });

  it('refuses a name, version or hash that could inject a line or option into the requirements file', () => {
    const entry = (name: string, version: string, hashes: string) =>
      parse(
        `lock-version = "1.0"\n[[packages]]\nname = ${JSON.stringify(name)}\nversion = ${JSON.stringify(version)}\nwheels = [{ url = "https://f/x.whl", hashes = { ${hashes} } }]\n`,
      );
    const select = (lock: ReturnType<typeof parse>) => () =>
      selectPylockPackages(lock, 'pylock.toml', env, new Set());
    const injected = '23.2.0\n--extra-index-url https://attacker.example/simple';
    expect(select(entry('attrs', injected, 'sha256 = "ab12"'))).toThrow(
      'pylock.toml: package \'attrs\' has a version that is not a PEP 440 version: "23.2.0\\n--extra-index-url https://attacker.example/simple". Regenerate the lock',
    );
    expect(select(entry('attrs', '23.2.0 --index-url=https://a.example', 'sha256 = "ab12"'))).toThrow(
      /not a PEP 440 version/,
    );
    expect(select(entry('attrs --index-url=https://a.example', '1.0', 'sha256 = "ab12"'))).toThrow(
      'pylock.toml: holds a package whose name is not a valid project name: "attrs --index-url=https://a.example". A name has only letters, digits and -_. (PEP 508)',
    );
    expect(select(entry('attrs-', '1.0', 'sha256 = "ab12"'))).toThrow(/not a valid project name/);
    expect(select(entry('attrs', '1.0', 'sha256 = "ab12\\n--trusted-host evil"'))).toThrow(
      'pylock.toml: package \'attrs\' has a sha256 hash that is not a hex digest: "ab12\\n--trusted-host evil". Regenerate the lock',
    );
    expect(select(entry('attrs', '1.0', 'sha512 = "AB12"'))).toThrow(/sha512 hash that is not a hex digest/);
    // A long value is shortened in the message, never written whole to the log.
    const long = `1.0${' '.repeat(40_000)}--index-url=https://a.example`;
    expect(select(entry('attrs', long, 'sha256 = "ab12"'))).toThrow(/… \(40032 characters\)\. Regenerate/);
    // Valid values (a normalisable version, an unchecked algorithm left out) still pass.
    expect(select(entry('Attrs_x.y', '23.2.0.post1', 'sha256 = "ab12", md5 = "zz"'))().lines).toEqual([
      'Attrs_x.y==23.2.0.post1 --hash=sha256:ab12',
    ]);
  });

  it('refuses a package without hashes', () => {
    const bad = parse(
      'lock-version = "1.0"\n[[packages]]\nname = "x"\nversion = "1"\nwheels = [{ url = "https://f/x.whl" }]\n',
    );
    expect(() => selectPylockPackages(bad, 'pylock.toml', env, new Set())).toThrow(
      "pylock.toml: package 'x' has no hashes. A lock the test installs checks every file against its hash; regenerate it with hashes.",
    );
  });

  it('uses the default groups, and checks the groups and extras asked for', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ferrowheel-pylock-'));
    writeFileSync(path.join(dir, 'pylock.toml'), lockText);
    const base = {
      mode: 'auto' as const,
      ...located(dir),
      uv: NO_UV,
      workingDirectory: dir,
      projects: new Set(['setup']),
      extras: [] as string[],
      groups: [] as string[],
      interpreter: { ...facts, executable: 'python3', description: 'CPython 3.11.7' },
      hostPython: 'python3',
      workDir: dir,
    };
    const outcome = await lockedRequirements(base, async () => {
      throw new Error('pip fallback: no command');
    });
    expect(outcome).toMatchObject({
      locked: { lines: ['pytest==8.3.5 --hash=sha256:f1'], groups: ['test'] },
    });
    await expect(
      lockedRequirements({ ...base, groups: ['lint'] }, async () => ({
        exitCode: 0,
        stdout: '',
        stderr: '',
      })),
    ).rejects.toThrow(
      "pylock.toml: the lock does not cover the dependency group 'lint' (it locks groups: test, docs).",
    );
    await expect(
      lockedRequirements({ ...base, extras: ['gpu'] }, async () => ({ exitCode: 0, stdout: '', stderr: '' })),
    ).rejects.toThrow("pylock.toml: the lock does not cover the extra 'gpu' (it locks extras: plot).");
  });
});

describe('a pylock.toml without extras or groups (as uv exports it)', () => {
  it('is installed as it is, whatever extras and groups are asked for', () => {
    const lock = parse(
      'lock-version = "1.0"\n[[packages]]\nname = "tabulate"\nversion = "0.9.0"\nwheels = [{ url = "https://f/t.whl", hashes = { sha256 = "d1" } }]\n',
    );
    expect(pylockGroups(lock, 'pylock.toml', { extras: ['fmt'], groups: ['dev'] })).toEqual({
      extras: ['fmt'],
      groups: ['dev'],
    });
  });
});

describe('uv.lock through uv export', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ferrowheel-lock-uv-'));
  writeFileSync(path.join(dir, 'uv.lock'), 'version = 1\nrequires-python = ">=3.9"\n');
  writeFileSync(
    path.join(dir, 'pyproject.toml'),
    '[project]\nname = "setup"\n[dependency-groups]\ndev = ["pytest"]\nLint = ["ruff"]\n',
  );
  const request = {
    ...located(dir),
    uv: UV_AT('/opt/uv'),
    workingDirectory: dir,
    projects: new Set(['setup']),
    extras: ['fmt'],
    interpreter: { ...facts, executable: '/py/bin/python3', description: 'CPython 3.11.7' },
    hostPython: '/py/bin/python3',
    workDir: dir,
  };
  /** A uv that writes an export, or fails `--locked` as a stale lock does. */
  function fakeUv(options: { stale?: boolean } = {}) {
    const calls: string[][] = [];
    const exec = async (program: string, args: readonly string[]) => {
      calls.push([program, ...args]);
      if (options.stale && args.includes('--locked')) {
        throw new CommandError(
          `${program} ${args.join(' ')}`,
          2,
          'Using CPython 3.11.2 interpreter at: /usr/bin/python3\nResolved 14 packages in 2.16s\nerror: The lockfile at `uv.lock` needs to be updated, but `--locked` was provided.\n\nhint: To update the lockfile, run `uv lock`.',
        );
      }
      writeFileSync(args[args.indexOf('--output-file') + 1]!, 'pytest==8.3.5 \\\n    --hash=sha256:abc\n');
      return { exitCode: 0, stdout: '', stderr: '' };
    };
    return { calls, exec };
  }

  it('exports the groups the project defines (normalised names), the extras, for the test interpreter', async () => {
    const uv = fakeUv();
    const outcome = await lockedRequirements({ ...request, mode: 'auto', groups: ['lint', 'test'] }, uv.exec);
    expect(uv.calls).toEqual([
      [
        '/opt/uv',
        'export',
        '--locked',
        '--format',
        'requirements.txt',
        '--no-header',
        '--no-emit-workspace',
        '--no-default-groups',
        '--group',
        'lint',
        '--extra',
        'fmt',
        '--python',
        '/py/bin/python3',
        '--output-file',
        path.join(dir, 'uv-export.txt'),
      ],
    ]);
    // `test` is not the root project's group (the course layout's sample/ has it): installed unlocked.
    expect(outcome).toMatchObject({
      locked: {
        groups: ['lint'],
        lines: ['pytest==8.3.5 --hash=sha256:abc'],
        description: 'uv.lock (1 package)',
      },
    });
  });

  it('a group the lock does not know: uv says so, without its progress lines', async () => {
    const exec = async () => {
      throw new CommandError(
        'uv export',
        2,
        "Using CPython 3.11.2 interpreter at: /usr/bin/python3\nerror: Group `lint` is not defined in the project's `dependency-groups` table",
      );
    };
    await expect(lockedRequirements({ ...request, mode: 'auto', groups: ['lint'] }, exec)).rejects.toThrow(
      "uv export of uv.lock failed:\nerror: Group `lint` is not defined in the project's `dependency-groups` table\nCheck 'groups' and 'extras' against pyproject.toml, or set 'lock' to off to install without the lock.",
    );
  });

  it('tests that run elsewhere (a container): uv finds a host Python itself, never downloading one', async () => {
    const uv = fakeUv();
    await lockedRequirements({ ...request, hostPython: undefined, mode: 'auto', groups: [] }, uv.exec);
    expect(uv.calls[0]).toContain('--no-python-downloads');
    expect(uv.calls[0]).not.toContain('--python');
  });

  it('without groups: the project default groups (no --no-default-groups)', async () => {
    const uv = fakeUv();
    await lockedRequirements({ ...request, mode: 'auto', groups: [] }, uv.exec);
    expect(uv.calls[0]).not.toContain('--no-default-groups');
  });

  it('a stale lock: auto warns and exports --frozen; require fails with how to refresh', async () => {
    const uv = fakeUv({ stale: true });
    const outcome = await lockedRequirements({ ...request, mode: 'auto', groups: [] }, uv.exec);
    expect(uv.calls.map((c) => c[2])).toEqual(['--locked', '--frozen']);
    expect(outcome.warning).toMatch(
      /^uv\.lock is out of date with pyproject\.toml \(uv export --locked: The lockfile at `uv\.lock` needs to be updated, but `--locked` was provided\.\); testing with its locked versions anyway\. Refresh it with `uv lock` in the project and commit it\.$/,
    );
    await expect(
      lockedRequirements({ ...request, mode: 'require', groups: [] }, fakeUv({ stale: true }).exec),
    ).rejects.toThrow(
      /Refresh it with `uv lock` in the project and commit it, or set 'lock' to auto to test with it as it is\.$/,
    );
  });
});

describe('a uv workspace member', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'ferrowheel-lock-member-'));
  const member = path.join(root, 'crates', 'demo');
  mkdirSync(member, { recursive: true });
  writeFileSync(
    path.join(root, 'pyproject.toml'),
    '[tool.uv.workspace]\nmembers = ["crates/*"]\n[dependency-groups]\ndev = ["pytest"]\ndocs = ["sphinx"]\n',
  );
  writeFileSync(path.join(root, 'uv.lock'), 'version = 1\nrequires-python = ">=3.9"\n');
  writeFileSync(
    path.join(member, 'pyproject.toml'),
    '[project]\nname = "demo"\n[dependency-groups]\nlint = ["ruff"]\n',
  );
  const layout = locateProject({ dir: member, workspace: root });
  const request = {
    lock: layout.lock,
    groupSources: layout.groupSources,
    workspaceMember: layout.uv.member,
    uv: UV_AT('/opt/uv'),
    workingDirectory: member,
    projects: new Set(['demo']),
    extras: [],
    interpreter: { ...facts, executable: '/py/bin/python3', description: 'CPython 3.11.7' },
    hostPython: '/py/bin/python3',
    workDir: root,
  };
  function fakeUv() {
    const calls: string[][] = [];
    const exec = async (program: string, args: readonly string[]) => {
      calls.push([program, ...args]);
      writeFileSync(args[args.indexOf('--output-file') + 1]!, 'pytest==8.3.5 \\\n    --hash=sha256:abc\n');
      return { exitCode: 0, stdout: '', stderr: '' };
    };
    return { calls, exec };
  }
  const groupArgs = (call: string[]) =>
    call.filter((a, i) => a === '--no-default-groups' || call[i - 1] === '--group' || a === '--group');

  it("uses the root's uv.lock; a group the member lacks comes from the root", async () => {
    expect(layout.lock?.path).toBe(path.join(root, 'uv.lock'));
    const uv = fakeUv();
    const outcome = await lockedRequirements({ ...request, mode: 'auto', groups: ['dev', 'lint'] }, uv.exec);
    expect(groupArgs(uv.calls[0]!)).toEqual(['--no-default-groups', '--group', 'dev', '--group', 'lint']);
    expect(outcome).toMatchObject({ locked: { groups: ['dev', 'lint'] } });
    expect(uv.calls[0]).toContain('export');
  });

  it("without groups: the default group dev, found at the root (uv's own default would skip it)", async () => {
    const uv = fakeUv();
    const outcome = await lockedRequirements({ ...request, mode: 'auto', groups: [] }, uv.exec);
    expect(groupArgs(uv.calls[0]!)).toEqual(['--no-default-groups', '--group', 'dev']);
    expect(outcome).toMatchObject({ locked: { groups: ['dev'] } });
  });

  it('require without any lock names the member and its workspace root', async () => {
    await expect(
      lockedRequirements({ ...request, lock: undefined, mode: 'require', groups: [] }, fakeUv().exec),
    ).rejects.toThrow(
      `Input 'lock' is 'require', but neither ${member} nor its uv workspace root has a uv.lock or pylock.toml. Create one`,
    );
  });
});
