// Issue 11, item 5: the served OpenAPI document declared no response schemas (0 of 66 operations),
// none of the 4xx answers and none of the patterns and lengths the API enforces; "Duplicate DTO
// detected: ReasonDto" was logged at every start; undeclared methods answered 404. A typed client
// (openapi-typescript + openapi-fetch, for the browser app) is generated from this document.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Logger } from '@nestjs/common';
import { startTestSystem, type TestSystem } from './support/test-system';

type Json = Record<string, any>;
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

let system: TestSystem;
let document: Json;
const warnings: string[] = [];

beforeAll(async () => {
  const warn = jest.spyOn(Logger, 'warn').mockImplementation((message: unknown) => void warnings.push(String(message)));
  try {
    system = await startTestSystem('openapi_document');
  } finally {
    warn.mockRestore();
  }
  const response = await fetch(`${system.baseUrl}/api/docs/openapi.json`);
  expect(response.status).toBe(200);
  document = (await response.json()) as Json;
});
afterAll(() => system?.close());

function operations(): Array<{ name: string; path: string; method: string; operation: Json }> {
  return Object.entries(document.paths as Record<string, Json>).flatMap(([p, item]) =>
    METHODS.filter((m) => item[m]).map((m) => ({ name: `${m.toUpperCase()} ${p}`, path: p, method: m, operation: item[m] as Json })),
  );
}

/** The schema a response or request content declares, with a $ref resolved. */
function resolve(schema: Json | undefined): Json | undefined {
  if (!schema?.$ref) return schema;
  return document.components.schemas[String(schema.$ref).replace('#/components/schemas/', '')] as Json;
}

test('the document is built without a duplicate-DTO warning, and every DTO name is unique', () => {
  expect(warnings.filter((w) => w.includes('Duplicate DTO'))).toEqual([]);
  expect(document.components.schemas).toHaveProperty('AdminReasonDto');
  expect(document.components.schemas).toHaveProperty('ReasonDto');
});

test('every operation declares a 2xx with a schema, or an explicit no-content or file answer', () => {
  const missing: string[] = [];
  for (const { name, operation } of operations()) {
    const ok = Object.entries(operation.responses as Record<string, Json>).filter(([status]) => status.startsWith('2'));
    const described = ok.some(([status, response]) => {
      if (status === '204') return !response.content;
      const content = Object.values((response.content ?? {}) as Record<string, Json>);
      return content.length > 0 && content.every((c) => c.schema && (c.schema.$ref || c.schema.type || c.schema.items));
    });
    if (!described) missing.push(name);
  }
  expect(missing).toEqual([]);
  expect(operations().length).toBeGreaterThanOrEqual(66);
});

test('every refusal an operation declares has the error schema { code, message }', () => {
  const wrong: string[] = [];
  for (const { name, operation } of operations()) {
    for (const [status, response] of Object.entries(operation.responses as Record<string, Json>)) {
      if (!/^4\d\d$/.test(status)) continue;
      if (response.content?.['application/json']?.schema?.$ref !== '#/components/schemas/ErrorDto') wrong.push(`${name} ${status}`);
    }
  }
  expect(wrong).toEqual([]);
  const error = document.components.schemas.ErrorDto as Json;
  expect(error.required).toEqual(expect.arrayContaining(['code', 'message']));
  expect(error.properties.code.enum).toEqual(expect.arrayContaining(['validation_failed', 'not_authenticated', 'method_not_allowed', 'payload_too_large']));
});

test('every operation that takes input declares 400; every JSON write declares 413 and 415', () => {
  const without400: string[] = [];
  const withoutLimits: string[] = [];
  for (const { name, method, operation } of operations()) {
    const takesInput = Boolean(operation.requestBody) || (operation.parameters ?? []).length > 0;
    if (takesInput && !operation.responses['400']) without400.push(name);
    if (['post', 'put'].includes(method) && operation.requestBody && !(operation.responses['413'] && operation.responses['415'])) withoutLimits.push(name);
  }
  expect(without400).toEqual([]);
  expect(withoutLimits).toEqual([]);
});

test('every operation behind the session guard requires the session cookie and declares 401; only the public ones do not', () => {
  const without401: string[] = [];
  const open: string[] = [];
  for (const { name, operation } of operations()) {
    if (operation.security?.some((s: Json) => 'cookie' in s)) {
      if (!operation.responses['401']) without401.push(name);
    } else open.push(name);
  }
  expect(without401).toEqual([]);
  expect(open.sort()).toEqual(['GET /api/health', 'GET /api/pki/ca.pem', 'GET /api/pki/crl.pem', 'POST /api/auth/login']);
  expect(document.components.securitySchemes.cookie).toMatchObject({ type: 'apiKey', in: 'cookie', name: 'attestflow_session' });
});

test('the constraints the validation pipe enforces are in the schemas', () => {
  const schemas = document.components.schemas as Record<string, Json>;
  expect(schemas.CreateUserDto!.properties.username.pattern).toBe('^[a-z0-9][a-z0-9._-]{1,63}$');
  expect(schemas.CreateUserDto!.properties.roles).toMatchObject({ maxItems: 20, items: { enum: expect.arrayContaining(['initiator', 'qa']) } });
  expect(schemas.AdminReasonDto!.properties.reason).toMatchObject({ minLength: 3, maxLength: 4000 });
  expect(schemas.ReasonDto!.properties.reason).toMatchObject({ minLength: 1, maxLength: 4000 });
  expect(schemas.SignStepDto!.properties).toMatchObject({
    signatureId: { format: 'uuid' },
    contentHash: { pattern: '^[0-9a-f]{64}$' },
    recordVersion: { minimum: 1 },
  });
  expect(schemas.PasswordPolicyDto!.properties.minLength).toMatchObject({ minimum: 8, maximum: 128 });
  expect(schemas.RegisterDocumentDto!.properties.title).toMatchObject({ minLength: 3, maxLength: 300 });
  const inbox = (document.paths['/api/inbox'].get.parameters as Json[]).find((p) => p.name === 'limit')!;
  expect(inbox.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 500 });
});

test('responses name their schemas: the signed-in person, a process record, the inbox, a signature', () => {
  const body = (p: string, m: string, status: string) => resolve(document.paths[p][m].responses[status].content['application/json'].schema);
  expect(body('/api/auth/me', 'get', '200')!.properties).toHaveProperty('pending');
  expect(body('/api/change-controls', 'post', '201')!.required).toEqual(
    expect.arrayContaining(['id', 'number', 'status', 'version', 'contentHash', 'allowedActions']),
  );
  expect(document.paths['/api/inbox'].get.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/InboxPageView' });
  expect(body('/api/inbox', 'get', '200')!.properties).toMatchObject({
    items: { type: 'array', items: { $ref: '#/components/schemas/InboxEntryView' } },
    total: { type: 'integer' },
  });
  expect(body('/api/change-controls/{id}/sign', 'post', '200')!.properties).toMatchObject({
    signature: { $ref: '#/components/schemas/SignatureView' },
    record: { $ref: '#/components/schemas/ProcessRecordView' },
  });
  expect(document.paths['/api/records/{id}/pdf'].get.responses['200'].content['application/pdf'].schema).toEqual({ type: 'string', format: 'binary' });
});

test('openapi-typescript generates a client whose operations have real response bodies', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attestflow-openapi-'));
  try {
    fs.writeFileSync(path.join(dir, 'openapi.json'), JSON.stringify(document));
    const bin = path.join(__dirname, '..', 'node_modules', '.bin', 'openapi-typescript');
    await promisify(execFile)(bin, [path.join(dir, 'openapi.json'), '-o', path.join(dir, 'api.d.ts')], { timeout: 60_000 });
    const types = fs.readFileSync(path.join(dir, 'api.d.ts'), 'utf8');
    const squashed = types.replace(/\s+/g, ' ');
    expect(squashed).toMatch(/UserView: \{[^}]*username: string;/);
    expect(squashed).toMatch(/"application\/json": components\["schemas"\]\["UserView"\];/);
    expect(squashed).toMatch(/"application\/json": components\["schemas"\]\["ProcessRecordView"\];/);
    expect(squashed).toMatch(/"application\/json": components\["schemas"\]\["InboxPageView"\];/);
    expect(squashed).toMatch(/"application\/json": components\["schemas"\]\["ErrorDto"\];/);
    expect(squashed).toContain('code: "validation_failed" | "control_character"');
    expect(squashed).not.toMatch(/content\?: never; \}; \};\s*$/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("the browser app's checked-in client (web/src/api/schema.d.ts) is generated from this document as served", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attestflow-client-'));
  try {
    fs.writeFileSync(path.join(dir, 'openapi.json'), JSON.stringify(document));
    const bin = path.join(__dirname, '..', 'node_modules', '.bin', 'openapi-typescript');
    await promisify(execFile)(bin, [path.join(dir, 'openapi.json'), '-o', path.join(dir, 'schema.d.ts')], { timeout: 60_000 });
    const fresh = fs.readFileSync(path.join(dir, 'schema.d.ts'), 'utf8');
    const checkedIn = fs.readFileSync(path.join(__dirname, '..', 'web', 'src', 'api', 'schema.d.ts'), 'utf8');
    // On a difference: `npm start`, then `npm run client:generate` (ATTESTFLOW_URL for another address).
    expect(checkedIn === fresh ? 'current' : 'stale: run npm run client:generate against a running npm start').toBe('current');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe('methods a path does not declare', () => {
  test('answer 405 method_not_allowed with an Allow header; unknown paths stay 404', async () => {
    const initiator = await system.people.session('initiator');
    const headers = { cookie: initiator.cookie!, 'user-agent': 'attestflow-test/1.0' };
    const inbox = await fetch(`${system.baseUrl}/api/inbox`, { method: 'DELETE', headers });
    expect(inbox.status).toBe(405);
    expect(inbox.headers.get('allow')).toBe('GET, HEAD');
    expect(await inbox.json()).toMatchObject({ code: 'method_not_allowed', message: expect.stringContaining('GET') });

    const record = await fetch(`${system.baseUrl}/api/change-controls/6f1c2a4e-8d2b-4c55-9d55-0a5b0f7e1a11`, { method: 'PUT', headers });
    expect(record.status).toBe(405);
    expect(record.headers.get('allow')).toBe('GET, HEAD');

    const login = await fetch(`${system.baseUrl}/api/auth/login`, { method: 'GET' });
    expect(login.status).toBe(405);
    expect(login.headers.get('allow')).toBe('POST');

    for (const unknown of ['/api/nothing-here', '/api/inbox/extra', '/api/change-controls/x/y/z']) {
      const answer = await fetch(`${system.baseUrl}${unknown}`, { headers });
      expect({ unknown, status: answer.status, body: await answer.json() }).toMatchObject({ unknown, status: 404, body: { code: 'not_found' } });
    }
    // Declared methods still reach their routes (HEAD wherever GET is).
    expect((await fetch(`${system.baseUrl}/api/inbox`, { headers })).status).toBe(200);
    expect((await fetch(`${system.baseUrl}/api/health`, { method: 'HEAD' })).status).toBe(200);
  });
});
