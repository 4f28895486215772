import { describe, expect, it } from '@jest/globals';
import { parseDockerImage } from '../src/docker-image.js';

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

describe('docker image references', () => {
  it.each<[string, object]>([
    ['python', { registry: undefined, repository: 'python', tag: undefined, digest: undefined }],
    ['python:3.12-slim', { repository: 'python', tag: '3.12-slim' }],
    ['arm64v8/python:3.13-alpine', { registry: undefined, repository: 'arm64v8/python', tag: '3.13-alpine' }],
    ['quay.io/pypa/manylinux_2_28_x86_64', { registry: 'quay.io', repository: 'pypa/manylinux_2_28_x86_64' }],
    [
      `registry.example.com:5000/team/sub/image:v1.2@${DIGEST}`,
      { registry: 'registry.example.com:5000', repository: 'team/sub/image', tag: 'v1.2', digest: DIGEST },
    ],
    [`ghcr.io/owner/image@${DIGEST}`, { registry: 'ghcr.io', tag: undefined, digest: DIGEST }],
    ['localhost/image:1', { registry: 'localhost', repository: 'image' }],
    ['localhost:5000/a__b--c.d:TAG_1', { registry: 'localhost:5000', repository: 'a__b--c.d', tag: 'TAG_1' }],
    ['Registry/image', { registry: 'Registry', repository: 'image' }],
    ['ferrowheel-test/manylinux:0123abcd', { repository: 'ferrowheel-test/manylinux' }],
  ])('%s is a reference', (text, parts) => {
    expect(parseDockerImage(text)).toEqual({
      ok: true,
      value: expect.objectContaining({ kind: 'reference', ...parts }),
    });
  });

  it('an image id is one', () => {
    expect(parseDockerImage(DIGEST)).toEqual({ ok: true, value: { kind: 'id', id: DIGEST } });
  });

  it.each<[string, string]>([
    ['', 'is empty'],
    ['-image', "starts with '-'"],
    ['--privileged', "starts with '-', which docker would read as an option"],
    ['image --rm', 'holds whitespace'],
    ['python:3.12\tx', 'holds whitespace'],
    ['image\n::warning::x', 'holds whitespace'],
    ['Python:3.12', "has upper case in its name ('Python')"],
    ['owner/Image', "has upper case in its name ('Image')"],
    ['python:3.12;ls', "has the tag '3.12;ls'"],
    ['python:$(id)', "has the tag '$(id)'"],
    ['python|sh', "has 'python|sh' in its name"],
    ['python&&x', "has 'python&&x' in its name"],
    ['a`id`', "has 'a`id`' in its name"],
    ['python:.x', "has the tag '.x'"],
    [`python:${'x'.repeat(129)}`, 'a tag is up to 128'],
    ['python@sha256:xyz', "has the digest 'sha256:xyz'"],
    ['-bad.io/image', "starts with '-'"],
    ['bad-.io/image', "names the registry 'bad-.io'"],
    ['a//b', 'has an empty part'],
    ['image/', 'has an empty part'],
    ['a..b', "has 'a..b' in its name"],
    ['image:{python}', "has the tag '{python}'"],
    [`${'a'.repeat(256)}`, 'has a name longer than 255 characters'],
  ])('%j is not one: %s', (text, problem) => {
    const parsed = parseDockerImage(text);
    expect(parsed.ok ? undefined : parsed.problem).toContain(problem);
  });

  it('with placeholders: a template whose placeholders keep it a reference', () => {
    const template = { placeholders: ['{python}'] };
    expect(parseDockerImage('mirror.example:5000/arm64v8/python:{python}-slim', template)).toEqual({
      ok: true,
      value: {
        kind: 'reference',
        registry: 'mirror.example:5000',
        repository: 'arm64v8/python',
        tag: '{python}-slim',
        digest: undefined,
      },
    });
    expect(parseDockerImage('stand-in/python{python}:{python}', template)).toMatchObject({ ok: true });
    expect(parseDockerImage('image:{version}', template)).toMatchObject({ ok: false });
    expect(parseDockerImage('Image:{python}', template)).toMatchObject({ ok: false });
    expect(parseDockerImage('--{python}', template)).toMatchObject({ ok: false });
  });
});
