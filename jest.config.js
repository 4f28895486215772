/**
 * One jest config for the whole monorepo. ESM all the way: ts-jest transpiles each file on its
 * own (tsconfig's isolatedModules; `pnpm typecheck` is the type check) and the `.js` suffixes of relative
 * imports are stripped so they resolve to the `.ts` sources.
 * Integration tests (files under `test/integration/`) really run cargo, maturin, pip and a package
 * index; they share one cargo target dir and tool cache (see packages/harness/src/workdirs.ts).
 */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }],
  },
  testMatch: ['<rootDir>/actions/*/test/**/*.test.ts', '<rootDir>/packages/*/test/**/*.test.ts'],
  // Slow, exhaustive scenarios (`*.slow.test.ts`) run with `npm run test:slow` (jest.slow.config.js).
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '\\.slow\\.test\\.ts$'],
  // .work holds cargo target dirs and the images' root filesystems (a Rust source tree with .snap
  // files among them): never modules or snapshots of this repository, and too big to crawl.
  modulePathIgnorePatterns: ['<rootDir>/.work/'],
  // Integration tests start real builds; they get a generous per-test budget of their own.
  testTimeout: 30_000,
};
