/**
 * The outcome of a parse or lookup that can fail in a way the caller words for the user: the value,
 * or the problem in words ("is not a manylinux or musllinux level"), which the caller turns into
 * an InputError or ProjectError naming the input or file. One shape for every such function, so a
 * caller never tells a value from a problem by its type, or by looking for a space in it.
 */
export type Result<T> = { ok: true; value: T } | { ok: false; problem: string };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail(problem: string): { ok: false; problem: string } {
  return { ok: false, problem };
}

/** The value, or an Error with the problem: for results that can only fail through a bug. */
export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(result.problem);
  return result.value;
}
