/**
 * The slow, exhaustive scenarios (`*.slow.test.ts`), kept out of `npm test` to hold its time
 * budget; `npm run test:slow` (scripts/test-slow.sh) runs them. Everything else is jest.config.js.
 */
import base from './jest.config.js';

export default {
  ...base,
  testMatch: ['<rootDir>/actions/*/test/**/*.slow.test.ts', '<rootDir>/packages/*/test/**/*.slow.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};
