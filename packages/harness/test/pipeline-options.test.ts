/**
 * The local pipeline's pure parts: its command line, where its build runs (with a fake docker),
 * and the report's Markdown → HTML.
 */
import { existsSync, mkdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { chooseBuildPlace, type Docker } from '../../../scripts/pipeline/container.js';
import { parseOptions, UsageError } from '../../../scripts/pipeline/options.js';
import { inspectProject } from '../../../scripts/pipeline/project.js';
import { markdownToHtml, reportMarkdown } from '../../../scripts/pipeline/report.js';
import { copyProject, userPath, versionOf, workingDirectory } from '../../../scripts/pipeline/run.js';
import type { Platform } from '../../kit/src/platform.js';
import { example, freshDir } from '../src/workdirs.js';

const defaults = { cwd: '/home/me/work', project: '/repo/examples/setup' };

describe('parseOptions', () => {
  it('defaults to examples/setup, auto container, sdist, publish', () => {
    expect(parseOptions([], defaults)).toMatchObject({
      project: '/repo/examples/setup',
      container: { kind: 'auto' },
      sdist: true,
      audit: 'error',
      pythons: [],
      publish: true,
      keep: false,
      verbose: false,
      reproducible: true,
      pgo: { kind: 'off' },
      pgoMeasure: false,
    });
  });

  it('takes the build options of PGO and reproducibility', () => {
    expect(parseOptions(['--pgo', '--pgo-measure', '--no-reproducible'], defaults)).toMatchObject({
      pgo: { kind: 'pyproject' },
      pgoMeasure: true,
      reproducible: false,
    });
    expect(parseOptions(['--pgo-script=bench/train.py'], defaults).pgo).toEqual({
      kind: 'script',
      script: 'bench/train.py',
    });
  });

  it('reads a PATH relative to where the command was typed, and every option', () => {
    const o = parseOptions(
      [
        '../ext',
        '--container=off',
        '--no-sdist',
        '--audit=warn',
        '--python',
        '3.11,3.12',
        '--python=3.13t',
        '--keep',
        '-v',
        '--report',
        'out',
      ],
      defaults,
    );
    expect(o).toMatchObject({
      project: path.resolve('/home/me/ext'),
      container: { kind: 'off' },
      sdist: false,
      audit: 'warn',
      pythons: ['3.11', '3.12', '3.13t'],
      keep: true,
      verbose: true,
      reportDir: path.resolve('/home/me/work/out'),
    });
    expect(parseOptions(['--container', 'quay.io/pypa/manylinux_2_28_x86_64'], defaults).container).toEqual({
      kind: 'image',
      image: 'quay.io/pypa/manylinux_2_28_x86_64',
    });
  });

  it.each([
    [['--bogus'], 'Unknown option --bogus.'],
    [['--python'], '--python needs a value.'],
    [['--python', 'three'], '--python "three": give versions like 3.11,3.12 (3.13t free-threaded).'],
    [['--container', 'a b'], '--container "a b" is not auto, on, off or an image name.'],
    [['one', 'two'], 'One project path only'],
    [['--audit', 'strict'], '--audit "strict" is not error, warn or off.'],
    [['--keep', '--no-publish'], '--keep keeps the index running; --no-publish starts none.'],
    [['--pgo-measure'], '--pgo-measure measures a PGO build: add --pgo or --pgo-script FILE.'],
    [
      ['--pgo-script', '../train.py'],
      '--pgo-script "../train.py": give a script inside the project, relative to it.',
    ],
    [['--pgo-script', '/tmp/train.py'], 'give a script inside the project'],
  ])('rejects %j', (argv, message) => {
    expect(() => parseOptions(argv, defaults)).toThrow(UsageError);
    expect(() => parseOptions(argv, defaults)).toThrow(message);
  });
});

describe('chooseBuildPlace', () => {
  const linux: Platform = { os: 'linux', arch: 'x86_64' } as Platform;
  const image = 'quay.io/pypa/manylinux2014_x86_64';
  const docker = (version: string | undefined, images: string[]): Docker & { asked: string[] } => {
    const asked: string[] = [];
    return {
      asked,
      serverVersion: async () => version,
      hasImage: async (i) => {
        asked.push(i);
        return images.includes(i);
      },
    };
  };

  it('auto: the host when no engine answers', async () => {
    expect(await chooseBuildPlace({ kind: 'auto' }, docker(undefined, [image]), linux)).toMatchObject({
      input: 'off',
      reason: 'on the host (no docker engine answers)',
    });
  });

  it('auto: the host when the engine runs but lacks the image (no pull from here)', async () => {
    const d = docker('28.2.2', []);
    expect(await chooseBuildPlace({ kind: 'auto' }, d, linux)).toMatchObject({
      input: 'off',
      where: 'on the host',
    });
    expect(d.asked).toEqual([image]);
  });

  it('auto: the container when its image is present', async () => {
    expect(await chooseBuildPlace({ kind: 'auto' }, docker('28.2.2', [image]), linux)).toMatchObject({
      input: image,
      where: `in the container ${image}`,
    });
  });

  it('auto: the host on macOS and Windows, without asking docker', async () => {
    for (const os of ['macos', 'windows'] as const) {
      const d = docker('28.2.2', [image]);
      const place = await chooseBuildPlace({ kind: 'auto' }, d, { os, arch: 'x86_64' } as Platform);
      expect(place.input).toBe('off');
      expect(d.asked).toEqual([]);
    }
  });

  it('on, off and an image name are taken as given', async () => {
    const none = docker(undefined, []);
    expect((await chooseBuildPlace({ kind: 'on' }, none, linux)).input).toBe(image);
    expect((await chooseBuildPlace({ kind: 'off' }, none, linux)).input).toBe('off');
    expect((await chooseBuildPlace({ kind: 'image', image: 'mine:1' }, none, linux)).input).toBe('mine:1');
    await expect(
      chooseBuildPlace({ kind: 'on' }, none, { os: 'macos', arch: 'aarch64' } as Platform),
    ).rejects.toThrow(
      '--container on: containers build Linux wheels; this is macos. Use --container off, or name an image.',
    );
  });
});

describe('the report', () => {
  it('renders what the actions write (HTML headings, tables, code, lists) and escapes text', () => {
    const html = markdownToHtml(
      '<h3>Wheels</h3>\n1 wheel for `x86_64` <b>not html</b>.\n\n| File | Size |\n| --- | --- |\n| `a\\|b.whl` | 1 KiB |\n\n- one\n- **two**\n\n```\nx < y\n```',
    );
    expect(html).toBe(
      [
        '<h3>Wheels</h3>',
        '<p>1 wheel for <code>x86_64</code> &lt;b&gt;not html&lt;/b&gt;.</p>',
        '<table>',
        '<thead><tr><th>File</th><th>Size</th></tr></thead>',
        '<tbody><tr><td><code>a|b.whl</code></td><td>1 KiB</td></tr></tbody>',
        '</table>',
        '<ul><li>one</li><li><strong>two</strong></li></ul>',
        '<pre><code>x &lt; y</code></pre>',
      ].join('\n'),
    );
  });

  it('lists every step with its result and time, then each summary', () => {
    const md = reportMarkdown(
      'Pipeline on x',
      [
        { name: 'build', status: 'failed', ms: 1234, summary: 'built nothing', note: 'a|b' },
        { name: 'test', status: 'not run', ms: undefined, summary: '' },
      ],
      ['**Failed at build:** boom'],
    );
    expect(md).toBe(
      '# Pipeline on x\n\n| step | result | time | |\n| --- | --- | --- | --- |\n| build | failed | 1.2 s | a\\|b |\n| test | not run | – |  |\n\n**Failed at build:** boom\n\n## build\n\nbuilt nothing\n',
    );
  });
});

describe('versionOf', () => {
  it("reads the version from build's wheels output, whatever the directories are called", () => {
    const wheels = [
      { path: '/tmp/bench-pipeline-0TPBje/dist/setup-0.1.0-cp311-abi3-linux_x86_64.whl', version: '0.1.0' },
    ];
    expect(versionOf(JSON.stringify(wheels))).toBe('0.1.0');
    expect(versionOf('')).toBeUndefined();
    expect(versionOf('[]')).toBeUndefined();
  });
});

describe('the project copy in the workspace', () => {
  it('copies the sources with their timestamps, not build output, environments or caches', () => {
    const from = freshDir('pipeline-copy-from');
    for (const dir of ['src', 'target/release', 'dist', '.venv/bin', 'tests/__pycache__', 'python/dist'])
      mkdirSync(path.join(from, dir), { recursive: true });
    for (const file of ['Cargo.toml', 'src/lib.rs', 'target/release/x.so', 'dist/a.whl', '.venv/bin/python'])
      writeFileSync(path.join(from, file), file);
    writeFileSync(path.join(from, 'tests/__pycache__/t.pyc'), '');
    writeFileSync(path.join(from, 'python/dist/keep.py'), '');
    const old = new Date('2020-01-02T03:04:05Z');
    utimesSync(path.join(from, 'src/lib.rs'), old, old);
    const to = path.join(freshDir('pipeline-copy-to'), 'project');
    copyProject(from, to);
    expect(existsSync(path.join(to, 'Cargo.toml'))).toBe(true);
    expect(statSync(path.join(to, 'src/lib.rs')).mtime.toISOString()).toBe(old.toISOString());
    // Only a top-level dist/ is build output; a package's own dist/ module is source.
    expect(existsSync(path.join(to, 'python/dist/keep.py'))).toBe(true);
    for (const gone of ['target', 'dist', '.venv', 'tests/__pycache__'])
      expect({ gone, there: existsSync(path.join(to, gone)) }).toEqual({ gone, there: false });
  });

  it("names an annotated file of the copy as the user's own file", () => {
    expect(userPath('/w/ws', '/home/me/ext', 'project/src/lib.rs')).toBe('/home/me/ext/src/lib.rs');
    expect(userPath('/w/ws', '/home/me/ext', 'dist/x.whl')).toBe('/w/ws/dist/x.whl');
  });
});

describe('a workspace member', () => {
  it('is copied with its workspace root, and the actions work in the member', () => {
    const member = inspectProject(path.join(example('workspace'), 'crates', 'wsmember'));
    expect(member).toMatchObject({ name: 'wsmember', module: 'wsmember', root: example('workspace') });
    expect(workingDirectory(member)).toBe('project/crates/wsmember');
    const plain = inspectProject(example('manifest-path'));
    expect(plain.root).toBe(example('manifest-path'));
    expect(workingDirectory(plain)).toBe('project');
  });
});
