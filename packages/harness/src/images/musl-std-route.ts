/**
 * Where a musllinux stand-in's Rust std comes from. Two routes, one stand-in each (their recipes,
 * so their keys, differ; the build action's container script and argv are the same in both):
 * - `dist`, the fast route: Rust's official toolchain from rustup's server (rust-dist.ts), about a
 *   minute;
 * - `build`, the fallback: Debian's rustc with a std compiled from Debian's rust-src
 *   (musl-std.sh), 6 to 14 minutes a target on a 2-core machine.
 * FERROWHEEL_MUSL_STD=dist|build forces one; unset, a stand-in the engine has already is used
 * (the fast one first), else the fast route when rustup's server answers, else the fallback. A
 * target Rust ships no std for always takes the fallback.
 */
import { fail, ok, type Result } from '@ferrowheel/kit/result';

export type MuslStdRoute = 'dist' | 'build';

/** The variable that forces a route. */
export const MUSL_STD_ENV = 'FERROWHEEL_MUSL_STD';

export interface RouteChoice {
  route: MuslStdRoute;
  /** Why, for the log. */
  why: string;
}

/** What the choice depends on; functions, so that only what the choice needs is asked. */
export interface RouteFacts {
  target: string;
  /** FERROWHEEL_MUSL_STD's value. */
  forced: string | undefined;
  /** Whether Rust ships a std for the target (a pinned rust-std tarball). */
  distAvailable: boolean;
  /** Whether the engine has a route's stand-in already. */
  cached(route: MuslStdRoute): Promise<boolean>;
  /** Why rustup's server cannot be had, or undefined when it answers. */
  serverProblem(): Promise<string | undefined>;
}

const SLOW = "the std is compiled from Debian's rust-src (slow route: 6 to 14 minutes, once per machine)";

function forcedRoute(facts: RouteFacts): Result<RouteChoice> {
  if (facts.forced === 'build') return ok({ route: 'build', why: `${MUSL_STD_ENV}=build: ${SLOW}` });
  if (!facts.distAvailable) {
    return fail(
      `${MUSL_STD_ENV}=dist, but Rust ships no std for ${facts.target} (rustup's manifest has none): unset ${MUSL_STD_ENV}, or set it to build, to compile one from Debian's rust-src.`,
    );
  }
  return ok({
    route: 'dist',
    why: `${MUSL_STD_ENV}=dist: Rust's official toolchain from rustup's server (fast route)`,
  });
}

/** The route for a musl target's stand-in, or why the forced one cannot be taken. */
export async function chooseMuslStdRoute(facts: RouteFacts): Promise<Result<RouteChoice>> {
  if (facts.forced !== undefined && facts.forced !== '') {
    if (facts.forced !== 'dist' && facts.forced !== 'build') {
      return fail(
        `${MUSL_STD_ENV} is "${facts.forced}", which is not a route: set it to dist (Rust's official toolchain from rustup's server) or build (a std compiled from Debian's rust-src), or unset it to choose by whether the server answers.`,
      );
    }
    return forcedRoute(facts);
  }
  if (!facts.distAvailable)
    return ok({ route: 'build', why: `Rust ships no std for ${facts.target}: ${SLOW}` });
  if (await facts.cached('dist')) return ok({ route: 'dist', why: 'the fast route, already built' });
  if (await facts.cached('build')) return ok({ route: 'build', why: 'the slow route, already built' });
  const problem = await facts.serverProblem();
  if (problem === undefined) {
    return ok({ route: 'dist', why: "rustup's server answers: Rust's official toolchain (fast route)" });
  }
  return ok({ route: 'build', why: `rustup's server cannot be had (${problem}): ${SLOW}` });
}
