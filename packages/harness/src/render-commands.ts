/**
 * Renders an action's log — the runner's workflow commands (`::group::`, `::debug::`,
 * `::error file=…::`, `::add-mask::` …) — for a terminal, the way the Actions UI would show it:
 * - a group is a heading; its lines are hidden (collapsed) unless `verbose`, and when the step
 *   fails, `finish({ failed: true })` prints the failing group in full;
 * - `::debug::` lines only with `verbose`;
 * - errors, warnings and notices in colour with their file:line:col and title;
 * - every `::add-mask::` value becomes `***` in everything printed afterwards, the mask command
 *   itself is never printed (nor are the other commands the runner consumes);
 * - escaped properties and messages (`%3A`, `%2C`, `%0A`, `%25`) are decoded;
 * - `::stop-commands::TOKEN` … `::TOKEN::` prints the lines between verbatim, as the runner does.
 * Colour is a renderer option; `colorEnabled` says whether a stream wants it (a TTY, no NO_COLOR).
 */

export interface WorkflowCommand {
  name: string;
  properties: Record<string, string>;
  message: string;
}

/** Commands the runner acts on and does not print. */
const CONSUMED = new Set([
  'add-mask',
  'add-matcher',
  'add-path',
  'debug',
  'echo',
  'endgroup',
  'error',
  'group',
  'notice',
  'remove-matcher',
  'save-state',
  'set-env',
  'set-output',
  'stop-commands',
  'warning',
]);

/** The runner's escaping of a command's message (`core`'s escapeData), undone. */
export function unescapeData(text: string): string {
  return text.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%25/g, '%');
}

/** The runner's escaping of a property value (`core`'s escapeProperty), undone. */
export function unescapeProperty(text: string): string {
  return text
    .replace(/%0D/gi, '\r')
    .replace(/%0A/gi, '\n')
    .replace(/%3A/gi, ':')
    .replace(/%2C/gi, ',')
    .replace(/%25/g, '%');
}

/** Parses one log line as a workflow command (`::name k=v,k=v::message`), or undefined. */
export function parseCommand(line: string): WorkflowCommand | undefined {
  const match = /^::([A-Za-z][A-Za-z0-9_-]*)(?: ([^:]*))?::(.*)$/s.exec(line);
  if (!match) return undefined;
  const properties: Record<string, string> = {};
  for (const pair of (match[2] ?? '').split(',')) {
    const eq = pair.indexOf('=');
    if (eq > 0) properties[pair.slice(0, eq).trim()] = unescapeProperty(pair.slice(eq + 1));
  }
  return { name: match[1]!.toLowerCase(), properties, message: unescapeData(match[3] ?? '') };
}

/**
 * The secrets to hide: each value registered, each of its lines, and the forms the runner also
 * masks (URL-encoded, JSON-escaped), replaced by `***` longest first.
 */
export class Masker {
  private readonly values = new Set<string>();

  add(value: string): void {
    const forms = [value, ...value.split(/\r?\n/)];
    for (const form of forms) {
      if (form.trim() === '') continue;
      this.values.add(form);
      this.values.add(encodeURIComponent(form));
      this.values.add(JSON.stringify(form).slice(1, -1));
    }
  }

  apply(text: string): string {
    if (this.values.size === 0) return text;
    let out = text;
    for (const value of [...this.values].sort((a, b) => b.length - a.length)) {
      out = out.split(value).join('***');
    }
    return out;
  }

  get size(): number {
    return this.values.size;
  }
}

/** Whether to colour output for a stream: a TTY, and NO_COLOR unset or empty (no-color.org). */
export function colorEnabled(
  stream: { isTTY?: boolean },
  env: Record<string, string | undefined> = process.env,
): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return stream.isTTY === true;
}

/** Colour and other control sequences the tools write (cargo's colours among them). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching the escape character is the point.
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

const SGR = { bold: '1', dim: '2', red: '31', yellow: '33', cyan: '36', reset: '0' } as const;

export interface RenderOptions {
  /** Where rendered text goes (whole lines, each ending in `\n`). */
  write: (text: string) => void;
  /** Show group contents and debug lines. */
  verbose?: boolean;
  color?: boolean;
  /** Shared across steps, so a value masked in one step stays hidden in the next. */
  masker?: Masker;
  /** Put before every printed line (e.g. two spaces under a step's heading). */
  indent?: string;
  /** How an annotation's `file` is shown (e.g. resolved against the workspace, relative to here). */
  showFile?: (file: string) => string;
}

interface Group {
  title: string;
  lines: string[];
  hadError: boolean;
}

export interface Annotation {
  kind: 'error' | 'warning' | 'notice';
  /** `file:line:col`, as far as given. */
  location: string | undefined;
  title: string | undefined;
  message: string;
}

/** Renders one action's log, line by line; call `finish` when the action has exited. */
export class CommandRenderer {
  readonly masker: Masker;
  /** Every error, warning and notice seen, decoded (masking applies when printed). */
  readonly annotations: Annotation[] = [];
  private readonly options: RenderOptions;
  private group: Group | undefined;
  private lastGroup: Group | undefined;
  private readonly failedGroups: Group[] = [];
  private stopToken: string | undefined;

  constructor(options: RenderOptions) {
    this.options = options;
    this.masker = options.masker ?? new Masker();
  }

  private paint(code: keyof typeof SGR, text: string): string {
    return this.options.color ? `\u001b[${SGR[code]}m${text}\u001b[${SGR.reset}m` : text;
  }

  /** Writes text (possibly several lines), masked and indented. */
  private emit(text: string, extraIndent = ''): void {
    const indent = `${this.options.indent ?? ''}${extraIndent}`;
    const masked = this.masker.apply(this.options.color ? text : text.replace(ANSI, ''));
    this.options.write(`${masked.replace(/\r?\n/g, `\n${indent}`).replace(/^/, indent)}\n`);
  }

  /** A plain line: inside a collapsed group it is kept for a possible failure, else printed. */
  private text(line: string): void {
    if (this.group) {
      this.group.lines.push(line);
      if (this.options.verbose) this.emit(line, '  ');
      return;
    }
    this.emit(line);
  }

  private annotation(kind: Annotation['kind'], command: WorkflowCommand): void {
    const p = command.properties;
    const file = p.file && this.options.showFile ? this.options.showFile(p.file) : p.file;
    const location = file ? [file, p.line, p.col].filter((x) => x !== undefined).join(':') : undefined;
    const note: Annotation = { kind, location, title: p.title, message: command.message };
    this.annotations.push(note);
    const colour = kind === 'error' ? 'red' : kind === 'warning' ? 'yellow' : 'cyan';
    const head = [location, note.title].filter(Boolean).join(': ');
    const rendered = `${this.paint(colour, this.paint('bold', kind))}: ${head ? `${this.paint('bold', head)}: ` : ''}${command.message}`;
    if (this.group) {
      if (kind === 'error') this.group.hadError = true;
      this.group.lines.push(rendered);
    }
    // Errors and warnings stay visible even when their group is collapsed.
    this.emit(rendered, this.group ? '  ' : '');
  }

  private endGroup(): void {
    if (!this.group) return;
    if (this.group.hadError) this.failedGroups.push(this.group);
    this.lastGroup = this.group;
    this.group = undefined;
  }

  /** Takes one line of the action's output (stdout or stderr). */
  line(raw: string): void {
    const line = raw.replace(/\r$/, '');
    if (this.stopToken !== undefined) {
      if (line === `::${this.stopToken}::`) this.stopToken = undefined;
      else this.text(line);
      return;
    }
    const command = parseCommand(line);
    if (!command || !CONSUMED.has(command.name)) {
      this.text(line);
      return;
    }
    switch (command.name) {
      case 'add-mask':
        this.masker.add(command.message);
        return;
      case 'group':
        this.endGroup();
        this.group = { title: command.message, lines: [], hadError: false };
        this.emit(
          `${this.paint('bold', this.options.verbose ? '▾' : '▸')} ${this.paint('bold', command.message)}`,
        );
        return;
      case 'endgroup':
        this.endGroup();
        return;
      case 'debug':
        if (this.options.verbose) this.text(this.paint('dim', `debug: ${command.message}`));
        return;
      case 'error':
      case 'warning':
      case 'notice':
        this.annotation(command.name, command);
        return;
      case 'stop-commands':
        this.stopToken = command.message;
        return;
      default:
        // set-output, save-state, add-matcher, echo …: the runner acts on them, prints nothing.
        return;
    }
  }

  /** Feeds a whole recorded log. */
  lines(text: string): void {
    const all = text.split('\n');
    if (all.at(-1) === '') all.pop();
    for (const line of all) this.line(line);
  }

  /**
   * Closes the log. When the step failed and its groups were collapsed, prints the failing
   * group in full: the groups holding an error, else the last group (where it stopped).
   */
  finish(options: { failed: boolean }): void {
    const open = this.group;
    this.endGroup();
    if (!options.failed || this.options.verbose) return;
    const shown =
      this.failedGroups.length > 0 ? this.failedGroups : [open ?? this.lastGroup].filter((g) => g);
    for (const group of shown as Group[]) {
      this.emit(this.paint('bold', `▾ ${group.title} (the failing group, in full)`));
      for (const line of group.lines) this.emit(line, '  ');
    }
  }
}

/** Renders a whole recorded log to a string (tests, and the report). */
export function renderCommands(
  text: string,
  options: Omit<RenderOptions, 'write'> & { failed?: boolean } = {},
): string {
  let out = '';
  const renderer = new CommandRenderer({
    ...options,
    write: (t) => {
      out += t;
    },
  });
  renderer.lines(text);
  renderer.finish({ failed: options.failed ?? false });
  return out;
}
