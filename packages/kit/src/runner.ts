/**
 * The one entry point every action uses. It runs the main step — or, when the runner calls the
 * same bundle again as the `post:` step, the post step — and owns the error policy:
 * - anything thrown (an Error, a string, anything) ends in `setFailed` with a readable message;
 *   the stack goes to debug output;
 * - a failing post step (cache save and the like) is a warning, never a failed job.
 */
import * as core from '@actions/core';
import { messageOf, UserError } from './errors.js';
import { redactSecrets } from './secrets.js';

const POST_STATE = 'ferrowheel-post';

export interface ActionSteps {
  main: () => Promise<void>;
  post?: () => Promise<void>;
}

/** True when this run is the post step of an action whose main step ran before. */
export function isPost(): boolean {
  return core.getState(POST_STATE) === 'true';
}

/** Reports anything thrown: the message as an error annotation, the stack in debug output. */
export function reportFailure(thrown: unknown): void {
  if (thrown instanceof Error && thrown.stack && !(thrown instanceof UserError)) {
    core.debug(redactSecrets(thrown.stack));
  }
  // A message can quote a server's answer or a URL: no registered secret leaves in it.
  core.setFailed(redactSecrets(messageOf(thrown)));
}

/** Runs the action's main or post step with the error policy above. */
export async function runAction(steps: ActionSteps): Promise<void> {
  if (isPost()) {
    if (!steps.post) return;
    try {
      await steps.post();
    } catch (thrown) {
      if (thrown instanceof Error && thrown.stack) core.debug(redactSecrets(thrown.stack));
      core.warning(`Post step failed (the job's result is unaffected): ${redactSecrets(messageOf(thrown))}`);
    }
    return;
  }
  if (steps.post) core.saveState(POST_STATE, 'true');
  try {
    await steps.main();
  } catch (thrown) {
    reportFailure(thrown);
  }
}
