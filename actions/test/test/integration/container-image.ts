/**
 * The image the container tests run in: the stand-in for amd64/python:3.11-slim (Debian's CPython
 * 3.11 on linux/amd64), built locally once per machine (harness images/), never pulled.
 */
import { testImage } from '@ferrowheel/harness/images/test-images';

export async function amd64PythonImage(): Promise<{ image: string; id: string }> {
  const built = await testImage('x86_64', '3.11');
  return { image: built.name, id: built.id };
}
