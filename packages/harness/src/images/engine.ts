/**
 * The docker engine, as the images need it: whether one answers, what an image is (id, labels,
 * platform), and the check that an image is the stand-in ferrowheel built, never one pulled from a
 * registry under the same name.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Why no engine answers, or undefined when one does. */
export async function dockerEngineProblem(): Promise<string | undefined> {
  try {
    await run('docker', ['info', '--format', '{{.ServerVersion}}']);
    return undefined;
  } catch (thrown) {
    const error = thrown as { stderr?: string; message: string };
    const reason = (error.stderr || error.message).trim().split('\n').slice(-1)[0];
    return `no docker engine answers (${reason}). Start one with 'bash scripts/ensure-docker.sh' (as root; scripts/test.sh does this), then run the tests again.`;
  }
}

/** Throws the reason when no docker engine answers: container tests fail, never skip. */
export async function requireDockerEngine(): Promise<void> {
  const problem = await dockerEngineProblem();
  if (problem) throw new Error(problem);
}

export interface ImageFacts {
  id: string;
  /** `linux/arm64`, `linux/arm/v7`. */
  platform: string;
  labels: Record<string, string>;
}

/** What the engine knows of an image, or undefined when it has none of that name. */
export async function inspectImage(name: string): Promise<ImageFacts | undefined> {
  let stdout: string;
  try {
    ({ stdout } = await run('docker', ['image', 'inspect', '--format', '{{json .}}', name]));
  } catch {
    return undefined;
  }
  const image = JSON.parse(stdout) as {
    Id: string;
    Os: string;
    Architecture: string;
    Variant?: string;
    Config?: { Labels?: Record<string, string> | null };
  };
  return {
    id: image.Id,
    platform: [image.Os, image.Architecture, image.Variant].filter((p) => p).join('/'),
    labels: image.Config?.Labels ?? {},
  };
}

/** The label every ferrowheel stand-in carries: which stand-in it is (`build/linux-aarch64`). */
export const STAND_IN_LABEL = 'dev.ferrowheel.stand-in';
/** The label with the hash of the recipe the stand-in was made from. */
export const RECIPE_LABEL = 'dev.ferrowheel.recipe';
/** The label naming the registry image the stand-in stands in for. */
export const STANDS_IN_FOR_LABEL = 'dev.ferrowheel.stands-in-for';

/**
 * The image `name` is ferrowheel's stand-in made from `recipe` (by its labels), or the reason it
 * is not: missing, or another image under that name (a registry's, or an older recipe's).
 * Returns its facts, so a caller can also compare image ids.
 */
export async function assertStandIn(name: string, recipe: string): Promise<ImageFacts> {
  const facts = await inspectImage(name);
  if (facts === undefined) {
    throw new Error(
      `The image ${name} is not in the docker engine: ferrowheel's stand-ins are built locally (packages/harness/src/images), never pulled. Build it with the images module (npm test and npm run matrix do).`,
    );
  }
  if (facts.labels[RECIPE_LABEL] !== recipe) {
    const found = facts.labels[STAND_IN_LABEL]
      ? `ferrowheel's ${facts.labels[STAND_IN_LABEL]} of recipe ${facts.labels[RECIPE_LABEL]}`
      : 'not a ferrowheel stand-in (no dev.ferrowheel.* labels: a registry image?)';
    throw new Error(
      `The image ${name} (${facts.id}) is ${found}, not the stand-in of recipe ${recipe}. Remove it ('docker rmi ${name}') and let the images module build it.`,
    );
  }
  return facts;
}

/**
 * Gives a stand-in a second name (`arm64v8/python:3.11-slim`, the name a workflow uses on GitHub),
 * so a run that names the registry image finds the stand-in with `--pull never`. The name is
 * re-checked afterwards: it must be the stand-in of `recipe` (its labels and its id).
 */
export async function tagStandIn(image: { id: string; recipe: string }, alias: string): Promise<ImageFacts> {
  await run('docker', ['tag', image.id, alias]);
  const facts = await assertStandIn(alias, image.recipe);
  if (facts.id !== image.id)
    throw new Error(`${alias} is ${facts.id} after tagging, not the stand-in ${image.id}`);
  return facts;
}
