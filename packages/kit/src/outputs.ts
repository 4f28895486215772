/**
 * What a step hands to later steps: outputs, GITHUB_ENV variables and GITHUB_PATH entries. Each
 * goes through here so that no value carries a line break it should not (issue 9, class 3):
 * a later step reading `out-dir` would get two lines, a PATH entry with a line break is two
 * entries, and a workflow that echoes an output can be made to print `::add-path::`. An output
 * may hold line breaks only when the action declares it multi-line (documented in action.yml).
 *
 * Inputs with a line break are refused when read (kit inputs.ts); these checks are the backstop
 * for values from elsewhere (a file name on disk, a server's answer).
 */
import * as core from '@actions/core';
import { UserError } from './errors.js';

/** Where the values go; `@actions/core` on a runner, a recorder in tests. */
export interface StepOutputs {
  setOutput(name: string, value: string): void;
  exportVariable(name: string, value: string): void;
  addPath(dir: string): void;
}

const coreOutputs: StepOutputs = {
  setOutput: (name, value) => core.setOutput(name, value),
  exportVariable: (name, value) => core.exportVariable(name, value),
  addPath: (dir) => core.addPath(dir),
};

const LINE_BREAK = /[\r\n]/;

function refuseLineBreak(what: string, value: string): void {
  if (LINE_BREAK.test(value)) {
    throw new UserError(
      `${what} would hold a line break (${JSON.stringify(value.slice(0, 200))}), which later steps would read as more than one value. Rename the file or directory it comes from so its name has no line break.`,
    );
  }
}

/** Sets a step output; a line break is refused unless the output is declared `multiLine`. */
export function setOutput(
  name: string,
  value: string,
  options: { multiLine?: boolean } = {},
  sink: StepOutputs = coreOutputs,
): void {
  if (!options.multiLine) refuseLineBreak(`Output '${name}'`, value);
  sink.setOutput(name, value);
}

/** Exports a variable to later steps (GITHUB_ENV); never multi-line. */
export function exportVariable(name: string, value: string, sink: StepOutputs = coreOutputs): void {
  refuseLineBreak(`Variable '${name}'`, value);
  sink.exportVariable(name, value);
}

/** Prepends a directory to later steps' PATH (GITHUB_PATH, one entry per line). */
export function addPath(dir: string, sink: StepOutputs = coreOutputs): void {
  refuseLineBreak(`PATH entry '${dir.split(/[\r\n]/)[0]}'`, dir);
  sink.addPath(dir);
}
