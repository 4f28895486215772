/**
 * The `before-build` hook: a script file from the repository, run with an argv (never a shell
 * string built from input text). What it may need to know arrives in environment variables, on
 * the host and in a container alike (pain point: manylinux images lack system libraries, so the
 * hook installs them where the build runs).
 */
import { defaultPythonCommand, type Os } from '@ferrowheel/kit/platform';

/** How to start the script: by its interpreter for known extensions, else directly (needs +x). */
export function beforeBuildCommand(script: string, os: Os): { program: string; args: string[] } {
  const lower = script.toLowerCase();
  if (lower.endsWith('.sh') || lower.endsWith('.bash')) return { program: 'bash', args: [script] };
  if (lower.endsWith('.py')) return { program: defaultPythonCommand(os), args: [script] };
  if (lower.endsWith('.ps1')) return { program: 'pwsh', args: ['-NoProfile', '-File', script] };
  if (lower.endsWith('.cmd') || lower.endsWith('.bat'))
    return { program: 'cmd.exe', args: ['/d', '/c', script] };
  return { program: script, args: [] };
}

/** The data the script gets, as FERROWHEEL_* variables. */
export function beforeBuildEnv(facts: {
  target: string;
  outDir: string;
  workingDirectory: string;
  manylinux: string;
  interpreters: string[];
  container: boolean;
}): Record<string, string> {
  return {
    FERROWHEEL_TARGET: facts.target,
    FERROWHEEL_OUT_DIR: facts.outDir,
    FERROWHEEL_WORKING_DIRECTORY: facts.workingDirectory,
    FERROWHEEL_MANYLINUX: facts.manylinux,
    FERROWHEEL_INTERPRETERS: facts.interpreters.join(' '),
    FERROWHEEL_IN_CONTAINER: facts.container ? 'true' : 'false',
  };
}
