import { DiscordAPIError, HTTPError, RateLimitError } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { failureClassOf } from '../../src/core/failure.ts';
import { toDiscordFailure } from '../../src/discord/discordFailure.ts';

const body = { body: undefined, files: undefined };
type ErrorData = ConstructorParameters<typeof DiscordAPIError>[0];
const apiError = (status: number, code: number, errors?: object) =>
  new DiscordAPIError(
    { code, message: 'refused', ...(errors ? { errors } : {}) } as ErrorData,
    code,
    status,
    'POST',
    'https://discord.com/api/v10/x',
    body,
  );

describe('toDiscordFailure', () => {
  it.each([
    [apiError(404, 10003), 'channel-gone'],
    [apiError(403, 50001), 'missing-permission'],
    [apiError(403, 50013), 'missing-permission'],
    [apiError(404, 10007), 'member-gone'],
    [apiError(400, 160004), 'thread-exists'],
    [apiError(400, 160006), 'thread-limit'],
    [apiError(400, 50035), 'rejected'],
    [apiError(403, 50083), 'rejected'],
    [apiError(500, 0), 'transient'],
    [apiError(503, 0), 'transient'],
    [apiError(429, 0), 'rate-limited'],
    [new HTTPError(502, 'Bad Gateway', 'POST', 'https://discord.com/api/v10/x', body), 'transient'],
    [new HTTPError(413, 'Payload Too Large', 'POST', 'https://discord.com/api/v10/x', body), 'rejected'],
    [Object.assign(new Error('This operation was aborted'), { name: 'AbortError' }), 'transient'],
    [new TypeError('fetch failed'), 'transient'],
  ] as const)('classifies %s as %s', (error, kind) => {
    expect(toDiscordFailure(error, 'Doing it').kind).toBe(kind);
  });

  it('never calls a 4xx other than a rate limit temporary', () => {
    for (const code of [10003, 50001, 50013, 10007, 160004, 160006, 50035, 50006, 40005]) {
      expect(failureClassOf(toDiscordFailure(apiError(400, code), 'x').kind)).toBe('permanent');
    }
  });

  it('keeps the code and reads "too long" from the error tree of a 400 Invalid Form Body', () => {
    const failure = toDiscordFailure(
      apiError(400, 50035, { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 2000 or fewer in length.' }] } }),
      'Introducing the group',
    );
    expect(failure).toMatchObject({ kind: 'rejected', code: 50035, detail: 'too-long', retryable: false });
  });

  it('keeps how long a rejected rate limit asked to wait', () => {
    const failure = toDiscordFailure(
      new RateLimitError({
        timeToReset: 60_000,
        limit: 5,
        method: 'POST',
        hash: 'h',
        url: 'https://discord.com/api/v10/x',
        route: '/channels/:id/messages',
        majorParameter: '1',
        global: false,
        retryAfter: 60_000,
        sublimitTimeout: 0,
        scope: 'user',
      }),
      'Posting',
    );
    expect(failure).toMatchObject({ kind: 'rate-limited', retryAfterMs: 60_000, retryable: true });
  });
});
