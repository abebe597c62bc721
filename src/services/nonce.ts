import { createHash } from 'node:crypto';

/**
 * A Discord message nonce (at most 25 characters) derived from what the message is for, so a
 * resend of the same message within Discord's nonce window returns the first one instead.
 */
export function nonceFor(purpose: string): string {
  return createHash('sha256').update(purpose).digest('base64url').slice(0, 25);
}
