/**
 * `npm run images [-- --build all|LEG|ARCH@PYTHON …] [--prune] [--list]`: ferrowheel's local images
 * (packages/harness/src/images). Tests build what they need on first use; this builds ahead
 * (`--build all`: every build stand-in and test image, with the time each took), lists them with
 * their labels, or removes what no current recipe makes (cache files and images of old keys).
 */

import type { LinuxArch } from '../packages/harness/src/images/architectures.js';
import { BUILD_LEGS, buildStandIn } from '../packages/harness/src/images/build-stand-ins.js';
import { imageIdentity } from '../packages/harness/src/images/builder.js';
import { inspectImage } from '../packages/harness/src/images/engine.js';
import { everyRecipe, prune } from '../packages/harness/src/images/inventory.js';
import { everyTestImageRecipe, testImage } from '../packages/harness/src/images/test-images.js';

const USAGE = `npm run images -- [--build all|LEG|ARCH@PYTHON …] [--list] [--prune]

  --build all          every build stand-in and test image
  --build LEG          a build stand-in: ${BUILD_LEGS.map((l) => l.leg).join(', ')}
  --build ARCH@PYTHON  a test image, e.g. aarch64@3.11
  --list               every image of the current recipes: name, whether built, labels
  --prune              remove the cache files and images no current recipe makes`;

async function build(spec: string): Promise<void> {
  const startedAt = Date.now();
  const image = BUILD_LEGS.some((l) => l.leg === spec)
    ? await buildStandIn(spec)
    : await testImage(...(spec.split('@') as [LinuxArch, string]));
  console.log(`${image.name} (${image.platform}) ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
}

async function list(): Promise<void> {
  for (const recipe of everyRecipe()) {
    const { name } = await imageIdentity(recipe);
    const facts = await inspectImage(name);
    console.log(
      `${facts ? 'built  ' : 'missing'} ${name} ${recipe.config.platform} ${recipe.standsInFor ?? ''}`,
    );
  }
}

async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv.includes('--help')) {
    console.log(USAGE);
    return argv.length === 0 ? 2 : 0;
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--prune') for (const removed of await prune()) console.log(`removed ${removed}`);
    else if (arg === '--list') await list();
    else if (arg === '--build' && argv[i + 1] === 'all') {
      i++;
      for (const leg of BUILD_LEGS) await build(leg.leg);
      for (const t of everyTestImageRecipe().filter((t) => t.recipe.ok)) await build(`${t.arch}@${t.python}`);
    } else if (arg === '--build' && argv[i + 1] !== undefined) await build(argv[++i]!);
    else {
      console.error(`error: unknown option ${arg}\n\n${USAGE}`);
      return 2;
    }
  }
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
