// Issue 11, items 3 (configurable JSON limit), 8 (CSRF), 10 (security headers) and 11 (X-Forwarded-For).
// Uploads (item 3's streaming) are in test/uploads.test.ts.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { changeAwaitingApproval, SAMPLE_CHANGE, signOff } from './support/change-control-thread';
import type { HttpSession } from './support/http-session';
import { startTestSystem, type TestSystem } from './support/test-system';

let system: TestSystem;
let initiator: HttpSession;
beforeAll(async () => {
  system = await startTestSystem('http_hardening', { env: { JSON_BODY_LIMIT: '50kb' } });
  initiator = await system.people.session('initiator');
});
afterAll(() => system?.close());

async function count(target: TestSystem, table: string): Promise<number> {
  return ((await target.database.db.execute(sql`SELECT count(*)::int AS n FROM ${sql.identifier(table)}`)).rows[0] as { n: number }).n;
}

/** A write as a browser page or a script would send it: the headers given, the session cookie of `session`. */
async function send(path: string, headers: Record<string, string>, body?: string, session: HttpSession | undefined = initiator, method = 'POST') {
  const response = await fetch(`${system.baseUrl}${path}`, { method, headers: { ...(session?.cookie ? { cookie: session.cookie } : {}), ...headers }, body });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

const FORM = new URLSearchParams(SAMPLE_CHANGE as unknown as Record<string, string>).toString();
const JSON_CHANGE = JSON.stringify(SAMPLE_CHANGE);

describe('body limits', () => {
  test('a JSON body over JSON_BODY_LIMIT is refused with 413 payload_too_large and changes nothing', async () => {
    const records = await count(system, 'records');
    const refused = await initiator.post('/api/change-controls', { ...SAMPLE_CHANGE, description: 'x'.repeat(60 * 1024) });
    expect(refused).toMatchObject({ status: 413, body: { code: 'payload_too_large' } });
    expect(refused.body.message).toContain(String(50 * 1024));
    expect(await count(system, 'records')).toBe(records);
  });
});

describe('cross-site request forgery (writes: JSON only, from our own origin)', () => {
  test('a form-urlencoded or text/plain write with the session cookie is refused with 415 and changes nothing', async () => {
    const [records, events] = [await count(system, 'records'), await count(system, 'audit_events')];
    const form = await send('/api/change-controls', { 'content-type': 'application/x-www-form-urlencoded' }, FORM);
    expect([form.status, form.body.code]).toEqual([415, 'unsupported_media_type']);
    const text = await send('/api/change-controls', { 'content-type': 'text/plain' }, JSON_CHANGE);
    expect([text.status, text.body.code]).toEqual([415, 'unsupported_media_type']);
    const multipart = await send('/api/auth/logout', { 'content-type': 'multipart/form-data; boundary=x' }, '--x--');
    expect([multipart.status, multipart.body.code]).toEqual([415, 'unsupported_media_type']);
    const untyped = await send('/api/change-controls', {}, JSON_CHANGE);
    expect([untyped.status, untyped.body.code]).toEqual([415, 'unsupported_media_type']);
    const pdfToJsonRoute = await send('/api/change-controls', { 'content-type': 'application/pdf' }, '%PDF-1.7');
    expect([pdfToJsonRoute.status, pdfToJsonRoute.body.code]).toEqual([415, 'unsupported_media_type']);
    expect([await count(system, 'records'), await count(system, 'audit_events')]).toEqual([records, events]);
    expect((await initiator.get('/api/auth/me')).status).toBe(200); // the refused logout did not end the session
  });

  test('a write from another origin (Origin, else Referer, or an opaque origin) is refused with 403 origin_not_allowed', async () => {
    const [records, events] = [await count(system, 'records'), await count(system, 'audit_events')];
    const json = { 'content-type': 'application/json' };
    const foreign: Record<string, string>[] = [
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { origin: system.baseUrl.replace('127.0.0.1', '127.0.0.2') },
      { referer: 'https://evil.example/page.html' },
      { origin: 'https://evil.example', referer: `${system.baseUrl}/` },
    ];
    for (const headers of foreign) {
      const refused = await send('/api/change-controls', { ...json, ...headers }, JSON_CHANGE);
      expect({ headers, status: refused.status, code: refused.body.code }).toEqual({ headers, status: 403, code: 'origin_not_allowed' });
    }
    const login = await send('/api/auth/login', { ...json, origin: 'https://evil.example' }, JSON.stringify({ username: 'qa', password: 'x' }), undefined);
    expect([login.status, login.body.code]).toEqual([403, 'origin_not_allowed']);
    expect([await count(system, 'records'), await count(system, 'audit_events')]).toEqual([records, events]);
  });

  test('our own origin (127.0.0.1 or localhost at the API port) and callers that send neither header (curl, scripts) may write', async () => {
    const json = { 'content-type': 'application/json' };
    const own = await send('/api/change-controls', { ...json, origin: system.baseUrl }, JSON_CHANGE);
    expect(own.status).toBe(201);
    const localhost = await send('/api/change-controls', { ...json, origin: system.baseUrl.replace('127.0.0.1', 'localhost') }, JSON_CHANGE);
    expect(localhost.status).toBe(201);
    const referer = await send('/api/change-controls', { ...json, referer: `${system.baseUrl}/api/docs` }, JSON_CHANGE);
    expect(referer.status).toBe(201);
    const curl = await send('/api/change-controls', json, JSON_CHANGE);
    expect(curl.status).toBe(201);
    const bodyless = await send('/api/auth/logout', {}, undefined, await system.people.session('qa'));
    expect(bodyless.status).toBeLessThan(300);
  });

  test('reads are not checked: a GET from anywhere is answered (without CORS headers, another origin cannot read it)', async () => {
    const response = await send('/api/auth/me', { origin: 'https://evil.example' }, undefined, initiator, 'GET');
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('security headers', () => {
  test('the web app and the API answer with CSP, nosniff, no framing, no referrer and no X-Powered-By; no HSTS over plain http', async () => {
    for (const path of ['/', '/api/health', '/api/docs']) {
      const response = await fetch(`${system.baseUrl}${path}`);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect({ path, csp }).toEqual({ path, csp: expect.stringContaining("frame-ancestors 'none'") });
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('x-powered-by')).toBeNull();
      expect(response.headers.get('strict-transport-security')).toBeNull();
    }
  });

  test('the API reference still renders under that CSP: no inline script, its scripts and styles are served from this origin', async () => {
    const html = await (await fetch(`${system.baseUrl}/api/docs`)).text();
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, inline] of scripts) {
      expect(attributes).toMatch(/src=/);
      expect(inline!.trim()).toBe('');
    }
    expect(html).not.toMatch(/\son[a-z]+=/); // no inline event handlers (script-src-attr 'none')
    for (const [, src] of html.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)) {
      const asset = await fetch(new URL(src!, `${system.baseUrl}/api/docs/`));
      expect({ src, status: asset.status }).toEqual({ src, status: 200 });
    }
    const init = await (await fetch(`${system.baseUrl}/api/docs/swagger-ui-init.js`)).text();
    expect(init).toContain('SwaggerUIBundle');
  });

  test('every API answer is Cache-Control: no-store, among them the one-time password of a new user', async () => {
    const admin = await system.people.session('admin');
    const created = await fetch(`${system.baseUrl}/api/admin/users`, {
      method: 'POST',
      headers: { cookie: admin.cookie!, 'content-type': 'application/json', origin: system.baseUrl },
      body: JSON.stringify({ username: `u${randomUUID().slice(0, 8)}`, printedName: 'New Person', roles: ['initiator'], reason: 'New starter' }),
    });
    expect(created.status).toBe(201);
    expect(((await created.json()) as { oneTimePassword?: string }).oneTimePassword).toBeTruthy();
    expect(created.headers.get('cache-control')).toBe('no-store');
    for (const path of ['/api/health', '/api/auth/me', '/api/no-such-route']) {
      expect({ path, cacheControl: (await fetch(`${system.baseUrl}${path}`)).headers.get('cache-control') }).toEqual({ path, cacheControl: 'no-store' });
    }
  });
});

describe('X-Forwarded-For and the audit trail', () => {
  async function failedLoginIp(target: TestSystem, forwardedFor: string): Promise<string | null> {
    const username = `nobody-${randomUUID().slice(0, 8)}`;
    const response = await fetch(`${target.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
      body: JSON.stringify({ username, password: 'wrong password' }),
    });
    expect(response.status).toBe(401);
    const rows = await target.database.db.execute(sql`SELECT client_ip FROM audit_events WHERE action = 'login.failed' AND entity_id = ${username}`);
    expect(rows.rows).toHaveLength(1);
    return (rows.rows[0] as { client_ip: string | null }).client_ip;
  }

  test('a forged X-Forwarded-For from a direct client is not believed: the audit row has the socket address', async () => {
    const ip = await failedLoginIp(system, '203.0.113.7');
    expect(ip).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
  });

  /** What the database holds about the device behind each row a person's requests wrote (11.10(h)). */
  async function devices(target: TestSystem, query: ReturnType<typeof sql>) {
    return (await target.database.db.execute(query)).rows as { client_ip: string | null; user_agent: string | null }[];
  }

  test('a record signature stores the client address and user agent, on the signature, its audit event and the session', async () => {
    const qa = await system.people.signer('qa');
    const submitted = (await changeAwaitingApproval(initiator)) as { id: string; version: number; contentHash: string };
    const body = signOff(system.people, qa, 'qa', submitted, 'approved');
    const signed = await qa.post(`/api/change-controls/${submitted.id}/sign`, body);
    expect(signed.status).toBe(200);
    const socket = expect.stringMatching(/^(::ffff:)?127\.0\.0\.1$/);
    const expected = [{ client_ip: socket, user_agent: 'attestflow-test/1.0' }];
    expect(await devices(system, sql`SELECT client_ip, user_agent FROM signatures WHERE id = ${body.signatureId}`)).toEqual(expected);
    expect(
      await devices(system, sql`SELECT client_ip, user_agent FROM audit_events WHERE action = 'signature.applied' AND entity_id = ${body.signatureId}`),
    ).toEqual(expected);
    expect(
      await devices(
        system,
        sql`SELECT client_ip, user_agent FROM sessions WHERE user_id = (SELECT signer_id FROM signatures WHERE id = ${body.signatureId}) AND ended_at IS NULL`,
      ),
    ).toEqual(expect.arrayContaining(expected));
  });

  describe('behind a configured proxy (TRUSTED_PROXIES=127.0.0.1, COOKIE_SECURE=true)', () => {
    let proxied: TestSystem;
    beforeAll(async () => {
      proxied = await startTestSystem('http_hardening_proxied', { runWorker: false, env: { TRUSTED_PROXIES: '127.0.0.1', COOKIE_SECURE: 'true' } });
    });
    afterAll(() => proxied?.close());

    test('the forwarded address is recorded', async () => {
      expect(await failedLoginIp(proxied, '203.0.113.7')).toBe('203.0.113.7');
    });

    test("a signature made through the proxy stores the person's forwarded address and browser", async () => {
      const browser = { 'x-forwarded-for': '198.51.100.23', 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) attestflow proxied test' };
      // Signing in and acknowledging the e-signature policy (itself a signature) write three rows.
      const engineering = await proxied.people.signer('engineering', browser);
      const me = await engineering.get('/api/auth/me');
      expect(me.status).toBe(200);
      const expected = [{ client_ip: '198.51.100.23', user_agent: browser['user-agent'] }];
      expect(await devices(proxied, sql`SELECT client_ip, user_agent FROM policy_acknowledgements WHERE user_id = ${me.body.id}`)).toEqual(expected);
      expect(
        await devices(proxied, sql`SELECT client_ip, user_agent FROM audit_events WHERE action = 'policy.acknowledged' AND actor_id = ${me.body.id}`),
      ).toEqual(expected);
      expect(await devices(proxied, sql`SELECT client_ip, user_agent FROM sessions WHERE user_id = ${me.body.id} AND ended_at IS NULL`)).toEqual(
        expect.arrayContaining(expected),
      );
    });

    test('HSTS and upgrade-insecure-requests are sent', async () => {
      const response = await fetch(`${proxied.baseUrl}/`);
      expect(response.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
      expect(response.headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
    });
  });
});
