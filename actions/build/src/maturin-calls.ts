/**
 * The maturin invocations of one build, as data (a pure function of the inputs): the GIL-enabled
 * interpreters together in one call, and every free-threaded interpreter in a call of its own.
 * A free-threaded build fails for reasons of its own (a PyO3 too old for it, code that needs the
 * GIL), and one maturin call for everything used to take the GIL wheels down with it; apart, the
 * GIL wheels are still built, uploaded and tested, and the failure is reported per version.
 * Options that belong to every call (`--pgo`, reproducibility) are added to each argv alike.
 */
import { type MaturinBuild, maturinBuildArgs } from './maturin-args.js';

export interface MaturinCall {
  /**
   * `gil`: the GIL-enabled interpreters asked for (and the sdist); `free-threaded`: one
   * free-threaded interpreter; `any`: whatever maturin finds (no list given).
   */
  kind: 'gil' | 'free-threaded' | 'any';
  /** The interpreters as the user listed them (`3.12`, `3.14t`, a path); [] for `any`. */
  interpreters: string[];
  /** `maturin` argv. */
  argv: string[];
}

/** `3.14t`, `python3.14t`, `…/python3.14t(.exe)`: an interpreter named free-threaded. */
export function isFreeThreadedSpec(spec: string): boolean {
  return /(?:^|[/\\]|python)3\.\d+t(?:\.exe)?$/.test(spec);
}

/** The version label of an interpreter spec (`3.14t`), or the spec itself when it names none. */
export function pythonLabel(spec: string): string {
  return /(3\.\d+t?)(?:\.exe)?$/.exec(spec)?.[1] ?? spec;
}

/**
 * The calls, in the order they run: the GIL-enabled call first (it also builds the sdist), then
 * one per free-threaded interpreter. With no list (maturin's default, or `find`) one call.
 */
export function maturinCalls(build: MaturinBuild): MaturinCall[] {
  if (build.interpreters.kind !== 'list' || build.interpreters.items.length === 0) {
    return [{ kind: 'any', interpreters: [], argv: maturinBuildArgs(build) }];
  }
  const items = build.interpreters.items;
  const gil = items.filter((item) => !isFreeThreadedSpec(item));
  const freeThreaded = items.filter(isFreeThreadedSpec);
  const calls: MaturinCall[] = [];
  if (gil.length > 0) {
    calls.push({
      kind: 'gil',
      interpreters: gil,
      argv: maturinBuildArgs({ ...build, interpreters: { kind: 'list', items: gil } }),
    });
  }
  for (const item of freeThreaded) {
    calls.push({
      kind: 'free-threaded',
      interpreters: [item],
      // The sdist once: with the GIL call, else with the first call.
      argv: maturinBuildArgs({
        ...build,
        interpreters: { kind: 'list', items: [item] },
        sdist: build.sdist && calls.length === 0,
      }),
    });
  }
  return calls;
}
