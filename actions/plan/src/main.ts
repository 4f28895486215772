import { runAction } from '@ferrowheel/kit/runner';
import { run } from './run.js';

await runAction({ main: () => run() });
