import { runAction } from '@ferrowheel/kit/runner';
import { post, run } from './run.js';

await runAction({ main: async () => void (await run()), post: () => post() });
