/**
 * The runner's problem matchers, as far as the tests need them: `::add-matcher::FILE` registers
 * the matchers of a JSON file (one with an owner already registered replaces it),
 * `::remove-matcher owner=X::` drops one, and every other line of the log is tried against each
 * registered matcher: a matcher of N patterns annotates when N consecutive lines match its
 * patterns in order, each pattern's numbered groups naming the annotation's fields. With the
 * explicit `::error` and `::warning` commands, that is every annotation a log makes on GitHub.
 * Registrations last from step to step, as on the runner: feed one job's steps to one instance.
 */
import { readFileSync } from 'node:fs';
import { parseCommand } from './render-commands.js';

interface Pattern {
  regexp: string;
  [field: string]: string | number;
}

export interface Matcher {
  owner: string;
  severity?: string;
  pattern: Pattern[];
}

export interface LogAnnotation {
  /** `command` for an explicit `::error`/`::warning`, else the matcher's owner. */
  source: string;
  severity: string;
  message: string;
  file?: string;
  line?: string;
  column?: string;
  code?: string;
}

export class ProblemMatchers {
  private readonly matchers = new Map<
    string,
    { matcher: Matcher; next: number; fields: Record<string, string> }
  >();

  /** The owners registered now. */
  get owners(): string[] {
    return [...this.matchers.keys()];
  }

  add(matchers: readonly Matcher[]): void {
    for (const matcher of matchers) this.matchers.set(matcher.owner, { matcher, next: 0, fields: {} });
  }

  /** The annotations these log lines make, registering and removing matchers as they say. */
  annotate(lines: readonly string[]): LogAnnotation[] {
    return lines.flatMap((line) => this.line(line));
  }

  private line(line: string): LogAnnotation[] {
    const command = parseCommand(line);
    if (command?.name === 'add-matcher') {
      const file = JSON.parse(readFileSync(command.message, 'utf8')) as { problemMatcher: Matcher[] };
      this.add(file.problemMatcher);
      return [];
    }
    if (command?.name === 'remove-matcher') {
      this.matchers.delete(command.properties.owner ?? '');
      return [];
    }
    if (command?.name === 'error' || command?.name === 'warning') {
      const { file, line: at, col } = command.properties;
      return [
        {
          source: 'command',
          severity: command.name,
          message: command.message,
          ...(file !== undefined ? { file } : {}),
          ...(at !== undefined ? { line: at } : {}),
          ...(col !== undefined ? { column: col } : {}),
        },
      ];
    }
    if (command) return [];
    return [...this.matchers.values()].flatMap((state) => this.match(state, line));
  }

  /** Tries the matcher's next pattern on the line; a miss starts over at its first pattern. */
  private match(
    state: { matcher: Matcher; next: number; fields: Record<string, string> },
    line: string,
  ): LogAnnotation[] {
    const { matcher } = state;
    let match = new RegExp(matcher.pattern[state.next]!.regexp).exec(line);
    if (!match && state.next > 0) {
      state.next = 0;
      state.fields = {};
      match = new RegExp(matcher.pattern[0]!.regexp).exec(line);
    }
    if (!match) return [];
    for (const [field, group] of Object.entries(matcher.pattern[state.next]!)) {
      if (typeof group === 'number' && match[group] !== undefined) state.fields[field] = match[group]!;
    }
    state.next++;
    if (state.next < matcher.pattern.length) return [];
    const { severity, message, ...rest } = state.fields;
    state.next = 0;
    state.fields = {};
    return [
      {
        source: matcher.owner,
        severity: severity ?? matcher.severity ?? 'error',
        message: message ?? '',
        ...rest,
      },
    ];
  }
}
