/**
 * The `test-environment` input: variables for the test run, one `NAME=VALUE` per line (as
 * cibuildwheel's test-environment, but without its shell expansion: values are taken verbatim and
 * reach the tests only through the child's environment, never through a command line).
 */

/** Variables the action sets itself for the test run; overriding them would break the venv. */
export const RESERVED = ['PATH', 'VIRTUAL_ENV', 'PYTHONHOME'];

/** Parses the lines; returns the variables, or the problem with the line it is in. */
export function parseTestEnvironment(
  raw: string,
): { variables: Record<string, string> } | { line: string; problem: string; fix: string } {
  const variables: Record<string, string> = {};
  for (const fullLine of raw.split(/\r?\n/)) {
    const line = fullLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const equals = line.indexOf('=');
    if (equals <= 0) {
      return {
        line,
        problem: 'holds a line that is not NAME=VALUE',
        fix: 'Write one variable per line, e.g. HYPOTHESIS_PROFILE=ci.',
      };
    }
    const name = line.slice(0, equals).trim();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      return {
        line,
        problem: `names the variable '${name}', which is not a valid variable name`,
        fix: 'Use letters, digits and underscores, not starting with a digit.',
      };
    }
    if (RESERVED.includes(name.toUpperCase())) {
      return {
        line,
        problem: `sets ${name}, which the action sets to run the tests in their venv`,
        fix: `Remove it; the test venv's scripts come first on PATH already.`,
      };
    }
    if (Object.keys(variables).some((k) => k.toUpperCase() === name.toUpperCase())) {
      return { line, problem: `sets ${name} twice`, fix: 'Keep one line per variable.' };
    }
    let value = line.slice(equals + 1).trim();
    // One level of matching quotes is dropped, as a YAML block user expects ("a b" → a b).
    if (/^(".*"|'.*')$/.test(value) && value.length >= 2) value = value.slice(1, -1);
    variables[name] = value;
  }
  return { variables };
}
