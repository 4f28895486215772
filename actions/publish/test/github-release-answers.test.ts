/**
 * GitHub's "already exists" is read from the parsed answer's `errors[].code`, never from its
 * wording: against the releases stand-in's real 422 answers.
 */
import { startGithubServer } from '@ferrowheel/harness/github-server';
import { afterAll, describe, expect, it } from '@jest/globals';
import { alreadyExists } from '../src/github-release.js';

const github = await startGithubServer({ githubToken: 't' });
afterAll(() => github.stop());

async function createRelease(fields: Record<string, unknown>): Promise<{ status: number; text: string }> {
  const response = await fetch(`${github.url}/repos/ferrowheel/ferrowheel/releases`, {
    method: 'POST',
    headers: { Authorization: 'Bearer t' },
    body: JSON.stringify(fields),
  });
  return { status: response.status, text: await response.text() };
}

describe('alreadyExists', () => {
  it("is GitHub's 422 for a tag that has its release already", async () => {
    expect(alreadyExists(await createRelease({ tag_name: 'v1' }))).toBe(false);
    const again = await createRelease({ tag_name: 'v1' });
    expect(again.status).toBe(422);
    expect(alreadyExists(again)).toBe(true);
  });

  it('is not another validation failure, nor words that merely say it', async () => {
    const missing = await createRelease({ name: 'no tag' });
    expect(missing.status).toBe(422);
    expect(alreadyExists(missing)).toBe(false);
    expect(alreadyExists({ status: 422, text: 'already_exists' })).toBe(false);
    expect(alreadyExists({ status: 500, text: '{"errors":[{"code":"already_exists"}]}' })).toBe(false);
  });
});
