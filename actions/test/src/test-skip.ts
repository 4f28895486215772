/** The `test-skip` patterns live in kit: the plan action matches the wheels it plans with them too. */
export { checkSkipPattern, skipNames, skipPatternFor } from '@ferrowheel/kit/test-skip';
