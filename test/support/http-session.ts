import { randomBytes, randomUUID } from 'node:crypto';

/** A browser-like HTTP session: keeps the session cookie between requests. */
export class HttpSession {
  cookie: string | undefined;
  /** Set once the first signature of this session is made (later ones need only the password). */
  signedOnce = false;

  constructor(
    readonly baseUrl: string,
    /** Sent with every request, e.g. X-Forwarded-For and a browser's user agent as a proxy passes them on. */
    readonly headers: Record<string, string> = {},
  ) {}

  async request<T = any>(method: string, path: string, body?: unknown, raw?: string): Promise<{ status: number; body: T }> {
    const payload = raw ?? (body === undefined ? undefined : JSON.stringify(body));
    return this.send<T>(method, path, payload, payload === undefined ? undefined : 'application/json');
  }

  /** Sends `payload` as `mediaType` (an upload's bytes, say) with this session's cookie; the answer parsed as `request` does. */
  async send<T = any>(method: string, path: string, payload: string | Buffer | undefined, mediaType: string | undefined): Promise<{ status: number; body: T }> {
    // As a browser on the app's own page sends it: writes are checked against the public URL.
    const headers: Record<string, string> = { 'user-agent': 'attestflow-test/1.0', origin: new URL(this.baseUrl).origin, ...this.headers };
    if (mediaType) headers['content-type'] = mediaType;
    if (this.cookie) headers.cookie = this.cookie;
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body: payload });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0];
    const text = await response.text();
    let parsed: unknown = undefined;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    if (method === 'POST' && /\/(sign|reject|acknowledgements)$/.test(path) && response.status < 300) this.signedOnce = true;
    return { status: response.status, body: parsed as T };
  }

  get<T = any>(path: string) {
    return this.request<T>('GET', path);
  }

  post<T = any>(path: string, body?: unknown) {
    return this.request<T>('POST', path, body);
  }

  put<T = any>(path: string, body?: unknown) {
    return this.request<T>('PUT', path, body);
  }

  async login(username: string, password: string, extra: Record<string, string> = {}): Promise<any> {
    const { status, body } = await this.post('/api/auth/login', { username, password, ...extra });
    if (status !== 200) throw new Error(`login as ${username} failed: ${status} ${JSON.stringify(body)}`);
    return body;
  }
}

/** A password that passes the default policy and is not derived from the username. */
export function strongPassword(): string {
  return `Tq7!${randomBytes(9).toString('base64url')}-Zx`;
}

/**
 * The demo people, starting from their one-time passwords: the first sign-in changes the password
 * (and so issues the signing key); a signer has acknowledged the e-signature policy.
 */
export class People {
  readonly passwords: Record<string, string>;
  private acknowledged = new Set<string>();

  constructor(
    readonly baseUrl: string,
    oneTimePasswords: Record<string, string>,
  ) {
    this.passwords = { ...oneTimePasswords };
  }

  /** The same people (passwords, acknowledgements) signing in to the system at `baseUrl`: a restored copy, say. */
  at(baseUrl: string): People {
    const moved = new People(baseUrl, this.passwords);
    for (const username of this.acknowledged) moved.acknowledged.add(username);
    return moved;
  }

  async session(username: string, headers: Record<string, string> = {}): Promise<HttpSession> {
    const session = new HttpSession(this.baseUrl, headers);
    const me = await session.login(username, this.passwords[username]!);
    if (me.pending?.passwordChange) {
      const next = strongPassword();
      const changed = await session.post('/api/auth/password', { currentPassword: this.passwords[username], newPassword: next });
      if (changed.status !== 204) throw new Error(`password change for ${username}: ${changed.status} ${JSON.stringify(changed.body)}`);
      this.passwords[username] = next;
    }
    return session;
  }

  /** A session of someone ready to sign: policy acknowledged (itself a signature). */
  async signer(username: string, headers: Record<string, string> = {}): Promise<HttpSession> {
    const session = await this.session(username, headers);
    if (!this.acknowledged.has(username)) {
      const ack = await session.post('/api/esignature-policy/acknowledgements', { signatureId: randomUUID(), password: this.passwords[username], username });
      if (ack.status !== 201) throw new Error(`policy acknowledgement by ${username}: ${ack.status} ${JSON.stringify(ack.body)}`);
      this.acknowledged.add(username);
    }
    return session;
  }

  /** The body of a sign or reject request: password, and the username on a session's first signature. */
  credentials(session: HttpSession, username: string): { password: string; username?: string } {
    return session.signedOnce ? { password: this.passwords[username]! } : { password: this.passwords[username]!, username };
  }
}
