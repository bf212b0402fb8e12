// 11.10(d): every route of the OpenAPI document, called by every role and by nobody. A route is
// either public, or refuses the anonymous caller with 401 and each role outside its allowed set with
// 403 — before any input is looked at.
import { randomUUID } from 'node:crypto';
import { ROLES } from '../db/seed-demo';
import type { HttpSession } from './support/http-session';
import { startTestSystem, type TestSystem } from './support/test-system';

/** Which roles each route admits; routes not listed admit every signed-in person. */
const RESTRICTED: Record<string, string[]> = {
  'POST /api/change-controls': ['initiator'],
  'POST /api/capas': ['initiator', 'qa'],
  'POST /api/document-revisions': ['document_controller'],
  'POST /api/documents': ['document_controller'],
  'POST /api/documents/files': ['document_controller'],
  'POST /api/items': ['approver_engineering'],
  'POST /api/lots': ['approver_supply_chain', 'approver_quality_control'],
  'POST /api/lots/{id}/status-events': ['qa', 'approver_quality_control'],
  'POST /api/ncmrs': ['initiator', 'qa', 'mrb'],
  'POST /api/production-records': ['approver_production'],
};
const ADMIN_PREFIX = '/api/admin/';
const PUBLIC = new Set(['GET /api/health', 'POST /api/auth/login', 'GET /api/pki/ca.pem', 'GET /api/pki/crl.pem']);

const DEMO_USER_BY_ROLE: Record<string, string> = {
  initiator: 'initiator',
  qa: 'qa',
  approver_engineering: 'engineering',
  approver_production: 'production',
  document_controller: 'doccontrol',
  mrb: 'mrb',
  supplier_quality: 'supplierquality',
  approver_quality_control: 'incoming',
  auditor: 'auditor',
  manager: 'manager',
  administrator: 'admin',
};

let system: TestSystem;
/** A route of the served document, with the media type its body is sent in (JSON unless it declares only another). */
let routes: { method: string; path: string; key: string; mediaType: string }[];
beforeAll(async () => {
  system = await startTestSystem('access_matrix');
  const doc = (await fetch(`${system.baseUrl}/api/docs/openapi.json`).then((r) => r.json())) as {
    paths: Record<string, Record<string, { requestBody?: { content?: Record<string, unknown> } }>>;
  };
  routes = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([m, operation]) => {
      const declared = Object.keys(operation.requestBody?.content ?? {});
      const mediaType = declared.length === 0 || declared.includes('application/json') ? 'application/json' : declared[0]!;
      return { method: m.toUpperCase(), path, key: `${m.toUpperCase()} ${path}`, mediaType };
    }),
  );
});
afterAll(() => system?.close());

function allowed(key: string, path: string): string[] | 'all' {
  if (path.startsWith(ADMIN_PREFIX)) return ['administrator'];
  return RESTRICTED[key] ?? 'all';
}

const concrete = (path: string) => path.replace(/\{[^}]+\}/g, randomUUID());

/** Calls a route as a client would: an empty JSON object, or a few bytes of the one upload type it declares. */
async function call(session: HttpSession, route: { method: string; path: string; mediaType: string }) {
  if (route.method === 'GET' || route.mediaType === 'application/json')
    return session.request(route.method, concrete(route.path), route.method === 'GET' ? undefined : {});
  return session.send(route.method, concrete(route.path), Buffer.from('%PDF-1.7\n%%EOF\n'), route.mediaType);
}

test('the OpenAPI document lists the routes this matrix covers', () => {
  expect(routes.length).toBeGreaterThanOrEqual(25);
  expect(routes.map((r) => r.key)).toEqual(expect.arrayContaining([...PUBLIC, ...Object.keys(RESTRICTED)]));
});

test('nobody signed in: every non-public route answers 401 not_authenticated', async () => {
  const anonymous = await system.session();
  for (const route of routes.filter((r) => !PUBLIC.has(r.key))) {
    const response = await call(anonymous, route);
    expect({ route: route.key, status: response.status, code: response.body?.code }).toEqual({ route: route.key, status: 401, code: 'not_authenticated' });
  }
});

/** A role no demo user holds (an approver for another area): a new person holding it alone. */
async function personHolding(role: string): Promise<string> {
  const admin = await system.session('admin');
  const username = role.replace(/_/g, '-').slice(0, 60);
  const created = await admin.post('/api/admin/users', { username, printedName: `Holder of ${role}`, roles: [role], reason: 'Access matrix test' });
  if (created.status !== 201) throw new Error(`create ${username}: ${created.status} ${JSON.stringify(created.body)}`);
  system.people.passwords[username] = created.body.oneTimePassword;
  return username;
}

describe.each(ROLES.map((r) => r.name))('role %s', (role) => {
  test('is refused with 403 exactly where the role is not admitted, and never meets a server error', async () => {
    const session = await system.session(DEMO_USER_BY_ROLE[role] ?? (await personHolding(role)));
    const roles = (await session.get('/api/auth/me')).body.roles as string[];
    for (const route of routes.filter((r) => !PUBLIC.has(r.key) && r.key !== 'POST /api/auth/logout')) {
      const admitted = allowed(route.key, route.path);
      const response = await call(session, route);
      expect(response.status).toBeLessThan(500);
      const refusedByRole =
        response.status === 403 && response.body?.code === 'not_authorised' && String(response.body?.message).startsWith('This action needs');
      const shouldBeAdmitted = admitted === 'all' || admitted.some((r) => roles.includes(r));
      expect({ route: route.key, refusedByRole }).toEqual({ route: route.key, refusedByRole: !shouldBeAdmitted });
    }
  });
});
