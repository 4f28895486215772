import { describe, expect, it } from '@jest/globals';
import { splitRequirements } from '../src/requirements.js';

describe('splitRequirements', () => {
  it('splits lines, and words on a line, keeping version specifiers whole', () => {
    expect(splitRequirements('pytest>=8, hypothesis numpy\nrich >= 13, < 14\n')).toEqual({
      items: ['pytest>=8', 'hypothesis', 'numpy', 'rich>=13,<14'],
    });
  });

  it('keeps extras, markers and direct references as written', () => {
    expect(
      splitRequirements(
        'hypothesis[cli] >=6\ntomli ; python_version < "3.11"\nmypkg @ https://example.org/mypkg-1.0.tar.gz',
      ),
    ).toEqual({
      items: [
        'hypothesis[cli]>=6',
        'tomli ; python_version < "3.11"',
        'mypkg @ https://example.org/mypkg-1.0.tar.gz',
      ],
    });
  });

  it('takes paths and files as single words, drops comments and duplicates', () => {
    expect(splitRequirements('./helpers vendor/x-1.0-py3-none-any.whl # local\npytest pytest')).toEqual({
      items: ['./helpers', 'vendor/x-1.0-py3-none-any.whl', 'pytest'],
    });
  });

  it('takes requirements files, as one argv word pip and uv both accept', () => {
    expect(splitRequirements('-r tests/requirements.txt\n--requirement=dev.txt\npytest')).toEqual({
      items: ['--requirement=tests/requirements.txt', '--requirement=dev.txt', 'pytest'],
    });
  });

  it('refuses installer options, which pip and uv would obey, wherever they stand', () => {
    expect(splitRequirements('--index-url=https://evil.example/simple')).toEqual({
      bad: '--index-url=https://evil.example/simple',
    });
    expect(splitRequirements('pytest --extra-index-url=https://evil.example/simple')).toEqual({
      bad: '--extra-index-url=https://evil.example/simple',
    });
    expect(splitRequirements('-e ./helpers')).toEqual({ bad: '-e' });
    expect(splitRequirements('--no-deps ; python_version > "3"')).toEqual({ bad: '--no-deps' });
  });

  it('reports what is not a requirement', () => {
    expect(splitRequirements('pytest !!!')).toEqual({ bad: '!!!' });
    expect(splitRequirements('pytest>=')).toEqual({ bad: 'pytest>=' });
  });
});
