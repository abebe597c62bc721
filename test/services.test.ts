import { describe, expect, it } from 'vitest';

/**
 * CI sets BRIDGES_REQUIRE_SERVICES: then the Redis and PostgreSQL tests must run, never skip for a
 * missing server. A developer without the servers runs the rest.
 */
describe.runIf(process.env.BRIDGES_REQUIRE_SERVICES === '1')('the servers CI promises', () => {
  it('are given to the tests', () => {
    expect(process.env.BRIDGES_TEST_REDIS_URL, 'BRIDGES_TEST_REDIS_URL').toMatch(/^redis:\/\//);
    expect(process.env.BRIDGES_TEST_POSTGRES_URL, 'BRIDGES_TEST_POSTGRES_URL').toMatch(/^postgres(ql)?:\/\//);
  });
});
