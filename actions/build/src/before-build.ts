/**
 * The `before-build` hook: a script file from the repository, run with an argv (never a shell
 * string built from input text). What it may need to know arrives in environment variables, on
 * the host and in a container alike (pain point: manylinux images lack system libraries, so the
 * hook installs them where the build runs). How it starts: kit's `scriptCommand` (scripts.ts).
 */
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
