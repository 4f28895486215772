/**
 * The `test-skip` input: wheels not to test, as patterns (`*` any characters, `?` one) matched
 * against the wheel's file name and against cibuildwheel-style identifiers made of its tags
 * (`cp313-manylinux_2_34_x86_64`, `cp313t-*`, `*-musllinux_*`), so patterns users bring from
 * cibuildwheel's test-skip keep working. The test action matches built wheels; the plan action
 * matches the identifiers of the wheels it plans (so container and emulated legs honour it too).
 */
import { parseWheelFilename } from './wheel.js';

/** A pattern is a file-name glob: no path separators, no character classes. */
export function checkSkipPattern(pattern: string): string | undefined {
  if (/[/\\]/.test(pattern)) return 'is a path; patterns match wheel file names';
  if (!/^[A-Za-z0-9._*?+!-]+$/.test(pattern))
    return "holds characters a wheel name never has (only letters, digits, '.', '_', '-', '+', '!', '*' and '?')";
  return undefined;
}

function globRegExp(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+!^$(){}|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

/** The names a pattern may match for one wheel file name. */
export function skipNames(filename: string): string[] {
  const names = [filename];
  const parsed = parseWheelFilename(filename);
  if (parsed.ok) {
    const wheel = parsed.value;
    for (const python of wheel.pythonTags) {
      for (const platform of wheel.platformTags) {
        const abiFree = wheel.abiTags.some((a) => /^cp\d+t$/.test(a));
        names.push(`${python}${abiFree && !python.endsWith('t') ? 't' : ''}-${platform}`);
      }
    }
  }
  return names;
}

/** The first pattern that matches the wheel, or undefined. */
export function skipPatternFor(filename: string, patterns: readonly string[]): string | undefined {
  return skipPatternForNames(skipNames(filename), patterns);
}

/** The first pattern that matches any of the names (a wheel's, see {@link skipNames}), or undefined. */
export function skipPatternForNames(
  names: readonly string[],
  patterns: readonly string[],
): string | undefined {
  return patterns.find((pattern) => {
    const re = globRegExp(pattern);
    return names.some((n) => re.test(n));
  });
}
