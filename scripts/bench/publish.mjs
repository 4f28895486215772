// Start-up and check cost of the publish bundle: bare node vs the bundle's dry run (find, check
// metadata of, and checksum the setup example's wheel + sdist; no network).
// Needs the example's packages built once (any publish integration test builds them into .work/wheels).
import { cpSync, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { report, timeCommand } from './stats.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const wheels = path.join(root, '.work', 'wheels');
const built = existsSync(wheels)
  ? readdirSync(wheels).find((d) => d.startsWith('setup-') && d.endsWith('-sdist'))
  : undefined;
if (!built) {
  console.log(
    'publish bench: no built setup packages in .work/wheels; run the publish integration tests first.',
  );
  process.exit(0);
}
const workspace = mkdtempSync(path.join(tmpdir(), 'bench-publish-'));
cpSync(path.join(wheels, built), path.join(workspace, 'dist'), { recursive: true });
const env = { ...process.env, GITHUB_WORKSPACE: workspace, RUNNER_TEMP: workspace, 'INPUT_DRY-RUN': 'true' };
const bundle = path.join(root, 'actions', 'publish', 'dist', 'index.js');
report([
  ['node -e 0', timeCommand([process.execPath, '-e', '0'])],
  [
    'publish dry-run (wheel + sdist checked)',
    timeCommand([process.execPath, bundle], { env, cwd: workspace }),
  ],
]);
