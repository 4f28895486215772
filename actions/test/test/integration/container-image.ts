/**
 * The image the container tests run in: the stand-in for amd64/python:3.11-slim (Debian's CPython
 * 3.11 on linux/amd64), built locally once per machine (harness images/), never pulled.
 */
import { testImage } from '@ferrowheel/harness/images/test-images';

/** The image's CPython: Debian bookworm's, whatever the runner's python3 is (3.12 on GitHub's). */
export const IMAGE_PYTHON = '3.11';

export async function amd64PythonImage(): Promise<{ image: string; id: string }> {
  const built = await testImage('x86_64', IMAGE_PYTHON);
  return { image: built.name, id: built.id };
}
