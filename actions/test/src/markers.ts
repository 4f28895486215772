/**
 * PEP 508 environment markers (`python_full_version >= '3.10' and sys_platform == 'win32'`),
 * evaluated for the interpreter under test. Lock files carry them: uv.lock's `requires-python`
 * and `environments`, PEP 751's `environments` and each package's `marker`, where PEP 751 adds
 * the set-valued `extras` and `dependency_groups` (`'test' in dependency_groups`).
 */
import { satisfies } from '@ferrowheel/kit/pep440';
import type { Os } from '@ferrowheel/kit/platform';

/** The marker variables of one interpreter, plus the extras and groups being installed. */
export interface MarkerEnvironment {
  values: Record<string, string>;
  extras: ReadonlySet<string>;
  dependencyGroups: ReadonlySet<string>;
}

/** What the marker environment is built from: the interpreter's own facts. */
export interface MarkerFacts {
  os: Os;
  implementation: string;
  version: string;
  major: number;
  minor: number;
  /** platform.machine() as the interpreter reports it (`x86_64`, `AMD64`, `arm64`). */
  machine: string;
}

export function markerEnvironment(
  facts: MarkerFacts,
  options: { extras?: readonly string[]; groups?: readonly string[] } = {},
): MarkerEnvironment {
  const implementationName = facts.implementation.toLowerCase();
  return {
    values: {
      python_version: `${facts.major}.${facts.minor}`,
      python_full_version: facts.version,
      implementation_name: implementationName,
      implementation_version: facts.version,
      platform_python_implementation:
        ({ cpython: 'CPython', pypy: 'PyPy' } as Record<string, string>)[implementationName] ??
        facts.implementation,
      sys_platform: ({ linux: 'linux', macos: 'darwin', windows: 'win32' } as const)[facts.os],
      platform_system: ({ linux: 'Linux', macos: 'Darwin', windows: 'Windows' } as const)[facts.os],
      os_name: facts.os === 'windows' ? 'nt' : 'posix',
      platform_machine: facts.machine,
      // Not known without asking the interpreter again; markers on them are rare in locks.
      platform_release: '',
      platform_version: '',
    },
    extras: new Set(options.extras ?? []),
    dependencyGroups: new Set(options.groups ?? []),
  };
}

type Token = { kind: 'string' | 'name' | 'op' | '(' | ')'; text: string };

const OPERATORS = ['===', '==', '!=', '<=', '>=', '~=', '<', '>'];

function tokenize(marker: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < marker.length) {
    const c = marker[at]!;
    if (/\s/.test(c)) {
      at++;
    } else if (c === '(' || c === ')') {
      tokens.push({ kind: c, text: c });
      at++;
    } else if (c === '"' || c === "'") {
      const end = marker.indexOf(c, at + 1);
      if (end < 0) throw new Error(`unclosed quote in marker: ${marker}`);
      tokens.push({ kind: 'string', text: marker.slice(at + 1, end) });
      at = end + 1;
    } else {
      const op = OPERATORS.find((o) => marker.startsWith(o, at));
      if (op) {
        tokens.push({ kind: 'op', text: op });
        at += op.length;
        continue;
      }
      const word = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(marker.slice(at));
      if (!word) throw new Error(`unexpected '${c}' in marker: ${marker}`);
      tokens.push({ kind: 'name', text: word[0] });
      at += word[0].length;
    }
  }
  return tokens;
}

const VERSION_VARIABLES = new Set(['python_version', 'python_full_version', 'implementation_version']);

function compare(left: Operand, op: string, right: Operand): boolean {
  if (op === 'in' || op === 'not in') {
    const found = right.set ? right.set.has(left.value) : right.value.includes(left.value);
    return op === 'in' ? found : !found;
  }
  // `extra == 'x'` (package metadata) asks whether x is among the extras installed.
  if (left.set && (op === '==' || op === '!=')) return left.set.has(right.value) === (op === '==');
  if (right.set && (op === '==' || op === '!=')) return right.set.has(left.value) === (op === '==');
  const versionCompare =
    (left.variable && VERSION_VARIABLES.has(left.variable)) ||
    (right.variable && VERSION_VARIABLES.has(right.variable));
  if (versionCompare && op !== '===') {
    // Always `version op literal`: flip the operator when the literal is on the left.
    const [version, literal, flipped] = left.variable
      ? [left.value, right.value, op]
      : [
          right.value,
          left.value,
          ({ '<': '>', '>': '<', '<=': '>=', '>=': '<=' } as Record<string, string>)[op] ?? op,
        ];
    try {
      return satisfies(version, `${flipped}${literal}`);
    } catch {
      // Not PEP 440 versions: compare as strings, as packaging does.
    }
  }
  switch (op) {
    case '==':
    case '===':
      return left.value === right.value;
    case '!=':
      return left.value !== right.value;
    case '<':
      return left.value < right.value;
    case '<=':
      return left.value <= right.value;
    case '>':
      return left.value > right.value;
    case '>=':
      return left.value >= right.value;
    default:
      throw new Error(`operator ${op} cannot compare strings`);
  }
}

type Operand = { value: string; set?: ReadonlySet<string>; variable?: string };

/**
 * A recursive-descent reading of PEP 508's marker grammar, evaluating as it goes:
 * `or := and ('or' and)*`, `and := comparison ('and' comparison)*`,
 * `comparison := '(' or ')' | operand op operand`.
 */
class MarkerReader {
  private at = 0;

  constructor(
    private readonly marker: string,
    private readonly tokens: readonly Token[],
    private readonly env: MarkerEnvironment,
  ) {}

  private fail(what: string): never {
    throw new Error(`${what} in marker: ${this.marker}`);
  }

  private next(what: string): Token {
    return this.tokens[this.at++] ?? this.fail(what);
  }

  /** Whether the next token is the keyword `word`; consumed when it is. */
  private keyword(word: string): boolean {
    const token = this.tokens[this.at];
    if (token?.kind !== 'name' || token.text !== word) return false;
    this.at++;
    return true;
  }

  /** The whole marker; anything left after it is an error. */
  all(): boolean {
    const result = this.or();
    if (this.at !== this.tokens.length) this.fail(`unexpected '${this.tokens[this.at]!.text}'`);
    return result;
  }

  private or(): boolean {
    let value = this.and();
    while (this.keyword('or')) value = this.and() || value;
    return value;
  }

  private and(): boolean {
    let value = this.comparison();
    while (this.keyword('and')) value = this.comparison() && value;
    return value;
  }

  private comparison(): boolean {
    if (this.tokens[this.at]?.kind === '(') {
      this.at++;
      const inner = this.or();
      if (this.tokens[this.at++]?.kind !== ')') this.fail("missing ')'");
      return inner;
    }
    const left = this.operand();
    return compare(left, this.operator(), this.operand());
  }

  /** A comparison operator, `in` or `not in`. */
  private operator(): string {
    const op = this.next('missing operator');
    if (op.kind === 'name' && op.text === 'not') {
      if (this.next('missing operator').text !== 'in') this.fail("expected 'in' after 'not'");
      return 'not in';
    }
    if (!(op.kind === 'op' || (op.kind === 'name' && op.text === 'in'))) {
      this.fail(`expected an operator, got '${op.text}'`);
    }
    return op.text;
  }

  /** A string literal, or a variable's value (a set for `extra(s)` and `dependency_groups`). */
  private operand(): Operand {
    const token = this.next('unexpected end');
    if (token.kind === 'string') return { value: token.text };
    if (token.kind !== 'name') return this.fail(`unexpected '${token.text}'`);
    const name = token.text.replace(/\./g, '_');
    if (name === 'extras' || name === 'extra') return { value: '', set: this.env.extras, variable: name };
    if (name === 'dependency_groups') return { value: '', set: this.env.dependencyGroups, variable: name };
    const value = this.env.values[name];
    if (value === undefined) this.fail(`unknown variable '${token.text}'`);
    return { value, variable: name };
  }
}

/** Evaluates a marker for the environment. Throws on a marker it cannot parse. */
export function evaluateMarker(marker: string, env: MarkerEnvironment): boolean {
  return new MarkerReader(marker, tokenize(marker), env).all();
}
