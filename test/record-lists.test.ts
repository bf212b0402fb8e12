// The record lists and search (issue 13, "What the API must add for it"): GET /api/records and
// GET /api/<process>, filtered by type, status, number, text, creation date and author, newest first
// and paged by cursor, showing only what the reader may read (api/records/record-access.ts).
// Through the HTTP API against the real Temporal dev server, PostgreSQL and Redis.
//
// Of the demo organisation only `initiator` does not read every record; `initiator2` (added here,
// role initiator alone) is a second such reader.
import { sql } from 'drizzle-orm';
import { addPerson } from './support/accounts';
import { changeAwaitingApproval, SAMPLE_CHANGE, signOff, SMALL_IMPACT } from './support/change-control-thread';
import type { HttpSession } from './support/http-session';
import { startTestSystem, type TestSystem } from './support/test-system';

let system: TestSystem;
let initiator: HttpSession;
let initiator2: HttpSession;
let engineering: HttpSession;
let qa: HttpSession;
let auditor: HttpSession;

interface Summary {
  id: string;
  type: string;
  number: string;
  title: string | null;
  status: string;
  version: number | null;
  author: { id: string; username: string; printedName: string };
  createdAt: string;
  updatedAt: string;
}
interface Page {
  items: Summary[];
  total: number;
  nextCursor: string | null;
}

function ok<T = any>(what: string, response: { status: number; body: any }, status = 200): T {
  if (response.status !== status) throw new Error(`${what}: expected ${status}, got ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as T;
}

const query = (params: Record<string, string | number>) =>
  new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)])).toString();

/** Every page of a list, following nextCursor; `between` runs before each next page is asked for. */
async function allPages(session: HttpSession, path: string, params: Record<string, string | number>, between?: () => Promise<void>) {
  const pages: Page[] = [];
  let cursor: string | null = null;
  do {
    const page: Page = ok('page', await session.get(`${path}?${query(cursor ? { ...params, cursor } : params)}`));
    pages.push(page);
    cursor = page.nextCursor;
    if (cursor && between) await between();
  } while (cursor && pages.length < 100);
  return pages;
}

/** The order every list promises: createdAt descending, then id descending. */
const newestFirst = (a: Summary, b: Summary) => (a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1);

async function createChange(session: HttpSession, title: string): Promise<{ id: string; number: string }> {
  return ok('create change', await session.post('/api/change-controls', { ...SAMPLE_CHANGE, title }), 201);
}

/** The list as the demo auditor sees it: every record. */
async function everything(): Promise<Summary[]> {
  return (await allPages(auditor, '/api/records', { limit: 200 })).flatMap((p) => p.items);
}

const ids = (items: { id: string }[]) => items.map((i) => i.id).sort();

beforeAll(async () => {
  system = await startTestSystem('record_lists');
  const admin = await system.people.session('admin');
  await addPerson(admin, system.people, { username: 'initiator2', roles: ['initiator'], printedName: 'Ivo Second' });
  initiator = await system.people.session('initiator');
  initiator2 = await system.people.session('initiator2');
  engineering = await system.people.session('engineering');
  auditor = await system.people.session('auditor');
  qa = await system.people.signer('qa');
});
afterAll(() => system?.close());

describe('filters', () => {
  let pump: { id: string; number: string };
  let valve: { id: string; number: string };
  let submitted: { id: string; number: string };
  let capa: { id: string; number: string };

  beforeAll(async () => {
    pump = await createChange(initiator, 'Pump seal 泵密封 100% replacement');
    valve = await createChange(engineering, 'Valve housing drawing update');
    submitted = (await changeAwaitingApproval(engineering, SMALL_IMPACT, { ...SAMPLE_CHANGE, title: 'Gasket supplier change' })) as never;
    capa = ok(
      'create CAPA',
      await qa.post('/api/capas', {
        title: 'Seal leaks on housing 4711',
        description: 'Coolant leaks at the housing seal.',
        source: { kind: 'complaint', reference: 'COMPL-2026-0117' },
      }),
      201,
    );
  });

  test('each item carries id, type, number, title, status, version, author and times', async () => {
    const page: Page = ok('list', await auditor.get(`/api/records?number=${pump.number}`));
    expect(page).toEqual({ items: [expect.any(Object)], total: 1, nextCursor: null });
    expect(page.items[0]).toEqual({
      id: pump.id,
      type: 'change_control',
      number: pump.number,
      title: 'Pump seal 泵密封 100% replacement',
      status: 'draft',
      version: 1,
      author: { id: expect.any(String), username: 'initiator', printedName: 'Ines Ortega' },
      createdAt: expect.stringMatching(/Z$/),
      updatedAt: expect.stringMatching(/Z$/),
    });
    const moved: Page = ok('list', await auditor.get(`/api/records?number=${submitted.number}`));
    expect(moved.items[0]).toMatchObject({ status: 'approval', version: expect.any(Number) });
    expect(moved.items[0]!.updatedAt > moved.items[0]!.createdAt).toBe(true);
  });

  test('type, status, number, text, author and date range each narrow the list, and combine', async () => {
    const all = await everything();
    const list = async (params: Record<string, string | number>) => ids((await allPages(auditor, '/api/records', params)).flatMap((p) => p.items));
    const expected = (keep: (s: Summary) => boolean) => ids(all.filter(keep));

    expect(await list({ type: 'capa' })).toEqual([capa.id]);
    expect(await list({ type: 'change_control' })).toEqual(expected((s) => s.type === 'change_control'));
    expect(await list({ status: 'approval' })).toEqual([submitted.id]);
    expect(await list({ status: 'draft', type: 'change_control' })).toEqual(expected((s) => s.type === 'change_control' && s.status === 'draft'));
    expect(await list({ status: 'draft', type: 'change_control' })).toEqual(expect.arrayContaining([pump.id, valve.id]));
    // A complete number is exact; a shorter one is a prefix, whatever its case.
    expect(await list({ number: valve.number })).toEqual([valve.id]);
    expect(await list({ number: valve.number.toLowerCase() })).toEqual([valve.id]);
    expect(await list({ number: 'CAPA-' })).toEqual([capa.id]);
    expect(await list({ number: valve.number.slice(0, 7) })).toEqual(expected((s) => s.number.startsWith(valve.number.slice(0, 7))));
    // Text: in the title (any case, any script) or the number; % and _ are plain characters.
    expect(await list({ q: 'VALVE housing' })).toEqual([valve.id]);
    expect(await list({ q: '泵密封' })).toEqual([pump.id]);
    expect(await list({ q: '100%' })).toEqual([pump.id]);
    expect(await list({ q: '%' })).toEqual([pump.id]);
    expect(await list({ q: '_' })).toEqual([]);
    const tail = capa.number.slice(-6);
    expect(await list({ q: tail })).toEqual(expected((s) => s.number.includes(tail) || (s.title ?? '').includes(tail)));
    expect(await list({ q: tail })).toContain(capa.id);
    expect(await list({ author: 'engineering' })).toEqual(ids([valve, submitted]));
    expect(await list({ author: 'engineering', status: 'draft' })).toEqual([valve.id]);
    expect(await list({ author: 'nobody' })).toEqual([]);
    // Dates: a date-time bound is included; a date is a whole UTC day.
    const middle = all.find((s) => s.id === valve.id)!.createdAt;
    expect(await list({ createdFrom: middle })).toEqual(expected((s) => s.createdAt >= middle));
    expect(await list({ createdTo: middle })).toEqual(expected((s) => s.createdAt <= middle));
    expect(await list({ createdFrom: middle, createdTo: middle })).toEqual(expected((s) => s.createdAt === middle));
    const today = middle.slice(0, 10);
    const yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    expect(await list({ createdFrom: today, createdTo: today })).toEqual(expected((s) => s.createdAt.startsWith(today)));
    expect(await list({ createdTo: yesterday })).toEqual(expected((s) => s.createdAt < today));
  });

  test('GET /api/<process> is the same list filtered to that process', async () => {
    const capas: Page = ok('capas', await auditor.get('/api/capas'));
    expect(ids(capas.items)).toEqual([capa.id]);
    expect(capas.total).toBe(1);
    const changes = (await allPages(auditor, '/api/change-controls', { limit: 2 })).flatMap((p) => p.items);
    const viaRecords = (await allPages(auditor, '/api/records', { type: 'change_control', limit: 200 })).flatMap((p) => p.items);
    expect(changes).toEqual(viaRecords);
    expect(ok<Page>('filtered', await auditor.get(`/api/change-controls?status=approval`)).items.map((s) => s.id)).toEqual([submitted.id]);
    expect(ok<Page>('none', await auditor.get(`/api/document-revisions`))).toEqual({ items: [], total: 0, nextCursor: null });
    // The process route fixes the type: asking for another is an unknown parameter.
    expect((await auditor.get('/api/change-controls?type=capa')).status).toBe(400);
  });
});

describe('paging', () => {
  test('every record exactly once, newest first, while records are created between pages', async () => {
    for (let i = 0; i < 5; i += 1) await createChange(engineering, `Paging ${i}`);
    const before = await everything();
    expect(before.length).toBeGreaterThanOrEqual(8);
    const createdMeanwhile: string[] = [];
    const pages = await allPages(auditor, '/api/records', { limit: 3 }, async () => {
      createdMeanwhile.push((await createChange(initiator, `Created between pages ${createdMeanwhile.length}`)).id);
    });
    const seen = pages.flatMap((p) => p.items);
    expect(createdMeanwhile.length).toBe(pages.length - 1);
    expect(createdMeanwhile.length).toBeGreaterThanOrEqual(2);
    // The records of the first page's moment, each once, in the promised order; the newer ones not among them.
    expect(seen.map((s) => s.id)).toEqual([...before].sort(newestFirst).map((s) => s.id));
    expect(seen.map((s) => s.id)).toEqual(before.map((s) => s.id));
    expect(new Set(seen.map((s) => s.id)).size).toBe(seen.length);
    expect(seen.filter((s) => createdMeanwhile.includes(s.id))).toEqual([]);
    expect(pages.slice(0, -1).every((p) => p.items.length === 3)).toBe(true);
    expect(pages.at(-1)!.nextCursor).toBeNull();
    // total counts what matched when each page was asked for.
    expect(pages[0]!.total).toBe(before.length);
    expect(pages.at(-1)!.total).toBe(before.length + createdMeanwhile.length);
    // The first page now starts with the newest record.
    const first: Page = ok('first', await auditor.get('/api/records?limit=1'));
    expect(first.items[0]!.id).toBe(createdMeanwhile.at(-1));
  });

  test('the default page is 50 and nextCursor is null on the last page', async () => {
    const page: Page = ok('default', await auditor.get('/api/records'));
    expect(page.items.length).toBe(Math.min(50, page.total));
    expect(page.nextCursor).toBeNull();
  });
});

describe('who sees what', () => {
  let assigned: { id: string; number: string };

  beforeAll(async () => {
    await createChange(initiator2, 'Authored by the second initiator');
    // Engineering's change names initiator as the owner of its implementation task: initiator reads it.
    const awaiting = await changeAwaitingApproval(
      engineering,
      { ...SMALL_IMPACT, implementationTasks: [{ title: 'Update the assembly instruction', ownerUsername: 'initiator' }] },
      { ...SAMPLE_CHANGE, title: 'Change with a task for initiator' },
    );
    assigned = { id: awaiting.id, number: awaiting.number };
    ok('QA approves', await qa.post(`/api/change-controls/${assigned.id}/sign`, signOff(system.people, qa, 'qa', awaiting as never, 'approved')));
  });

  test('a reader sees exactly the records GET /api/<process>/:id lets them read, on full pages', async () => {
    const all = await everything();
    for (const [username, session] of [
      ['initiator', initiator],
      ['initiator2', initiator2],
    ] as const) {
      const pages = await allPages(session, '/api/records', { limit: 2 });
      const listed = pages.flatMap((p) => p.items);
      const readable: string[] = [];
      for (const record of all) {
        const route = record.type === 'capa' ? 'capas' : 'change-controls';
        const response = await session.get(`/api/${route}/${record.id}`);
        expect([username, record.number, response.status]).toEqual([username, record.number, expect.any(Number)]);
        expect([200, 403]).toContain(response.status);
        if (response.status === 200) readable.push(record.id);
      }
      expect(ids(listed)).toEqual([...readable].sort());
      expect(readable.length).toBeLessThan(all.length);
      expect(pages[0]!.total).toBe(readable.length);
      // The read rule is applied before the page is cut: no page but the last is short.
      expect(pages.slice(0, -1).every((p) => p.items.length === 2)).toBe(true);
    }
    const mine = (await allPages(initiator, '/api/records', { limit: 200 })).flatMap((p) => p.items);
    expect(mine.map((s) => s.id)).toContain(assigned.id);
    expect(mine.filter((s) => s.id !== assigned.id).every((s) => s.author.username === 'initiator')).toBe(true);
    const second = (await allPages(initiator2, '/api/records', { limit: 200 })).flatMap((p) => p.items);
    expect(second.map((s) => s.author.username)).toEqual(['initiator2']);
    // Filters cannot reach past the rule: engineering's records are not listed to initiator2 by author.
    expect(ok<Page>('by author', await initiator2.get('/api/records?author=engineering'))).toEqual({ items: [], total: 0, nextCursor: null });
  });

  test('auditors and the read-all roles see every record', async () => {
    const count = await system.database.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM records`);
    const total = count.rows[0]!.n;
    for (const session of [auditor, qa, engineering]) {
      const page: Page = ok('list', await session.get('/api/records?limit=200'));
      expect(page.total).toBe(total);
      expect(page.items.length).toBe(total);
    }
  });
});

describe('bad query values', () => {
  const BAD = [
    'limit=0',
    'limit=201',
    'limit=1e308',
    'limit=abc',
    'limit=2.5',
    'offset=1',
    'type=widget',
    'status=lost',
    'number=CC%202026',
    'number=' + 'A'.repeat(41),
    'q=',
    'q=' + 'x'.repeat(201),
    'author=Nobody',
    'createdFrom=2026-02-30',
    'createdTo=7925-90-94',
    'createdFrom=0070-39-69T69%3A10Z',
    'createdFrom=yesterday',
    'createdTo=2026-01-01T12:00:00',
    'createdFrom=2026-02-01&createdTo=2026-01-31',
    'createdFrom=2026-01-31T12:00:00Z&createdTo=2026-01-31T11:59:59Z',
    'cursor=not%20a%20cursor',
    `cursor=${Buffer.from('yesterday|someone').toString('base64url')}`,
    'status=draft&status=approval',
  ];

  test.each(BAD)('GET /api/records?%s is 400 validation_failed and changes nothing', async (bad) => {
    const events = async () => (await system.database.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_events`)).rows[0]!.n;
    const before = await events();
    const response = await auditor.get(`/api/records?${bad}`);
    expect([response.status, response.body?.code]).toEqual([400, 'validation_failed']);
    expect(typeof response.body.message).toBe('string');
    expect((await auditor.get(`/api/change-controls?${bad.replace(/^type=widget$/, 'type=capa')}`)).status).toBe(400);
    expect(await events()).toBe(before);
  });
});

describe('the document register and the users list: text search and offset paging', () => {
  let doccontrol: HttpSession;
  let admin: HttpSession;

  beforeAll(async () => {
    doccontrol = await system.people.session('doccontrol');
    admin = await system.people.session('admin');
    for (const [number, title] of [
      ['SOP-LIST-001', 'Cleaning of the filling line'],
      ['SOP-LIST-002', 'Line clearance 清场'],
      ['WI-LIST-003', 'Torque settings for housing 4711'],
    ]) {
      ok('register', await doccontrol.post('/api/documents', { number, title, docType: 'sop', ownerUsername: 'doccontrol' }), 201);
    }
  });

  const contains = (value: string, text: string) => value.toLowerCase().includes(text.toLowerCase());

  test('without parameters the whole register; q looks in number and title; limit and offset page it', async () => {
    const all: { number: string; title: string }[] = ok('register', await initiator.get('/api/documents'));
    expect(all.map((d) => d.number)).toEqual([...all.map((d) => d.number)].sort());
    expect(all.map((d) => d.number)).toEqual(expect.arrayContaining(['SOP-LIST-001', 'SOP-LIST-002', 'WI-LIST-003']));
    for (const q of ['line', 'LIST-00', '清场', '4711', '%']) {
      const found: { number: string }[] = ok('search', await initiator.get(`/api/documents?q=${encodeURIComponent(q)}`));
      expect(found.map((d) => d.number)).toEqual(all.filter((d) => contains(d.number, q) || contains(d.title, q)).map((d) => d.number));
    }
    const pages: string[] = [];
    for (let offset = 0; offset < all.length + 2; offset += 2) {
      const page: { number: string }[] = ok('page', await initiator.get(`/api/documents?limit=2&offset=${offset}`));
      expect(page.length).toBe(Math.max(0, Math.min(2, all.length - offset)));
      pages.push(...page.map((d) => d.number));
    }
    expect(pages).toEqual(all.map((d) => d.number));
    expect(ok<{ number: string }[]>('searched page', await initiator.get('/api/documents?q=list&limit=1&offset=1')).map((d) => d.number)).toEqual([
      'SOP-LIST-002',
    ]);
  });

  test('the users list: q in username or printed name, limit and offset', async () => {
    const all: { username: string; printedName: string; roles: string[] }[] = ok('users', await admin.get('/api/admin/users'));
    expect(all.find((u) => u.username === 'initiator2')).toMatchObject({ printedName: 'Ivo Second', roles: ['initiator'] });
    for (const q of ['qa', 'ortega', 'IVO']) {
      const found: { username: string }[] = ok('search', await admin.get(`/api/admin/users?q=${q}`));
      expect(found.map((u) => u.username)).toEqual(all.filter((u) => contains(u.username, q) || contains(u.printedName, q)).map((u) => u.username));
    }
    const pages: typeof all = [];
    for (let offset = 0; offset < all.length; offset += 5) pages.push(...ok<typeof all>('page', await admin.get(`/api/admin/users?limit=5&offset=${offset}`)));
    expect(pages).toEqual(all);
  });

  test.each(['limit=0', 'limit=501', 'limit=1e308', 'offset=-1', 'offset=1e308', 'q=', 'cursor=x', 'limit=a'])(
    '?%s is 400 validation_failed on both',
    async (bad) => {
      for (const [session, path] of [
        [initiator, '/api/documents'],
        [admin, '/api/admin/users'],
      ] as const) {
        const response = await session.get(`${path}?${bad}`);
        expect([path, response.status, response.body?.code]).toEqual([path, 400, 'validation_failed']);
      }
    },
  );
});

test('the OpenAPI document states each list, its parameters, its paging and its response schema', async () => {
  const doc = (await fetch(`${system.baseUrl}/api/docs/openapi.json`).then((r) => r.json())) as any;
  for (const path of ['/api/records', '/api/change-controls', '/api/capas', '/api/ncmrs', '/api/document-revisions']) {
    const get = doc.paths[path].get;
    expect([path, get.responses['200'].content['application/json'].schema]).toEqual([path, { $ref: '#/components/schemas/RecordListView' }]);
    expect(get.description).toContain('nextCursor');
    expect(get.responses['400']).toBeDefined();
    const names = get.parameters.map((p: { name: string }) => p.name);
    expect(names).toEqual(expect.arrayContaining(['status', 'number', 'q', 'createdFrom', 'createdTo', 'author', 'limit', 'cursor']));
    expect(names.includes('type')).toBe(path === '/api/records');
    expect(get.parameters.find((p: { name: string }) => p.name === 'limit').schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 200 });
  }
  expect(doc.components.schemas.RecordListView.required).toEqual(expect.arrayContaining(['items', 'total', 'nextCursor']));
  expect(doc.components.schemas.RecordSummaryView.properties.author).toEqual({ $ref: '#/components/schemas/RecordAuthorView' });
  for (const path of ['/api/documents', '/api/admin/users']) {
    const get = doc.paths[path].get;
    expect(get.description).toContain('offset');
    expect(get.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['q', 'limit', 'offset']));
  }
});
