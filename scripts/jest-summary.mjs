#!/usr/bin/env node
// The plain closing line CI reads after jest (`jest: 1300 passed, 0 failed, 2 skipped`), from the
// results file scripts/test.sh has jest write; jest's own summary is not one line.
// Usage: node scripts/jest-summary.mjs RESULTS.json
import { readFileSync } from 'node:fs';

const file = process.argv[2];
if (!file) {
  console.error('usage: node scripts/jest-summary.mjs RESULTS.json');
  process.exit(2);
}
let results;
try {
  results = JSON.parse(readFileSync(file, 'utf8'));
} catch (thrown) {
  // jest wrote nothing (it could not start): say so rather than print a stack.
  console.log(`jest: no results (${file}: ${thrown instanceof Error ? thrown.message : String(thrown)})`);
  process.exit(0);
}
const skipped = results.numPendingTests + results.numTodoTests;
console.log(`jest: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped`);
