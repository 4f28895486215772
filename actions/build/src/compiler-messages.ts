/**
 * Turns rustc/cargo diagnostics in the streamed build log into annotations on the source line:
 * `error[E0308]: mismatched types` followed by `  --> src/lib.rs:4:5`. Fed line by line, so the
 * annotations appear while the build runs, the way a problem matcher would, but without a
 * matcher file the user's log would have to agree with.
 */
import path from 'node:path';

export interface CompilerMessage {
  level: 'error' | 'warning';
  message: string;
  /** Path relative to the workspace (forward slashes), as annotations want it. */
  file: string;
  line: number;
  column: number;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes are what we strip.
const ANSI = /\u001b\[[0-9;]*m/g;
const HEADER = /^(error|warning)(\[[A-Z]\d+\])?: (.+)$/;
const LOCATION = /^\s*--> (.+?):(\d+):(\d+)$/;

/** Lines of cargo's summary ("could not compile", "aborting") carry no location of their own. */
const NOT_A_DIAGNOSTIC = /^(could not compile|aborting due to|build failed|\d+ warnings? emitted)/;

export interface MessageParser {
  /** Feeds one log line; returns a message when this line completes one. */
  push(line: string): CompilerMessage | undefined;
}

/**
 * A parser for one build. `roots` are the directories cargo's relative paths may be relative
 * to (the cargo workspace root first); `exists` picks the first under which the file exists.
 */
export function messageParser(options: {
  workspace: string;
  roots: string[];
  exists: (file: string) => boolean;
}): MessageParser {
  let pending: { level: 'error' | 'warning'; message: string } | undefined;
  const locate = (file: string): string => {
    const candidates = path.isAbsolute(file) ? [file] : options.roots.map((root) => path.resolve(root, file));
    const found = candidates.find((c) => options.exists(c)) ?? candidates[0]!;
    return path.relative(options.workspace, found).split(path.sep).join('/');
  };
  return {
    push(raw) {
      const line = raw.replace(ANSI, '');
      const header = HEADER.exec(line);
      if (header) {
        const code = header[2]?.slice(1, -1);
        const message = code ? `${header[3]} (${code})` : header[3]!;
        pending = NOT_A_DIAGNOSTIC.test(header[3]!) ? undefined : { level: header[1] as 'error', message };
        return undefined;
      }
      const location = LOCATION.exec(line);
      if (location && pending) {
        const found: CompilerMessage = {
          ...pending,
          file: locate(location[1]!),
          line: Number(location[2]),
          column: Number(location[3]),
        };
        pending = undefined;
        return found;
      }
      return undefined;
    },
  };
}
