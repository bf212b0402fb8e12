import { createHash, randomBytes } from 'node:crypto';

export const SESSION_COOKIE = 'attestflow_session';

export function newSessionToken(): { token: string; id: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, id: sessionIdOf(token) };
}

/** Only the SHA-256 of the cookie value is stored, so a database reader cannot take over a session. */
export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
