// Controlled records (11.10(b), 11.50, 11.70; Annex 11 §8, §9): the sealed record PDF made at closure,
// verified by poppler's pdfsig, by openssl and by `attestflow verify`; dossiers from the BullMQ queue.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Queue } from 'bullmq';
import { sql } from 'drizzle-orm';
import { redisConnection, DOSSIER_QUEUE } from '../activities/dossier-queue';
import { processWorkflowId } from '../workflows/contracts/process-contracts';
import { runChangeControlThread, SAMPLE_CHANGE } from './support/change-control-thread';
import { attestflow } from './support/cli';
import type { HttpSession } from './support/http-session';
import { extractPdfSignature, tool, writeTemp } from './support/pdf-tools';
import { startTestSystem, type TestSystem } from './support/test-system';

const MAX_RECORDS = 55;
let system: TestSystem;
let auditor: HttpSession;
let thread: Awaited<ReturnType<typeof runChangeControlThread>>;
let pdf: Buffer;
let dir: string;

async function download(session: HttpSession, url: string): Promise<{ status: number; bytes: Buffer; sha: string | null }> {
  const response = await fetch(`${system.baseUrl}${url}`, { headers: { cookie: session.cookie ?? '' } });
  return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()), sha: response.headers.get('x-content-sha256') };
}

/** `openssl cms -verify` of the seal extracted from the PDF, over its signed byte ranges, against the organisation CA. */
function opensslVerifySeal(file: Buffer, name: string) {
  const { cms, signedBytes } = extractPdfSignature(file);
  const ca = writeTemp(dir, 'ca.pem', fs.readFileSync(path.join(system.dataDir, 'pki', 'ca.pem')));
  const args = ['-in', writeTemp(dir, `${name}.der`, cms), '-content', writeTemp(dir, `${name}.bin`, signedBytes), '-CAfile', ca];
  return tool('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', ...args, '-purpose', 'any', '-out', '/dev/null']);
}

beforeAll(async () => {
  system = await startTestSystem('controlled_records', { renderWorker: true, env: { DOSSIER_MAX_RECORDS: String(MAX_RECORDS) } });
  thread = await runChangeControlThread(system.people);
  // The closure activity runs after the last signature: the workflow completes once the PDF is stored.
  await system.temporal.workflow.getHandle(processWorkflowId(thread.id)).result();
  auditor = await system.session('auditor');
  const file = await download(auditor, `/api/records/${thread.id}/pdf`);
  expect(file.status).toBe(200);
  pdf = file.bytes;
  expect(createHash('sha256').update(pdf).digest('hex')).toBe(file.sha);
  dir = fs.mkdtempSync(path.join(system.dataDir, 'pdf-'));
});
afterAll(() => system?.close());

describe('the sealed record PDF of a closed change control', () => {
  test('pdfsig: the seal is valid and covers the total document', () => {
    const { output } = tool('pdfsig', [writeTemp(dir, 'record.pdf', pdf)]);
    expect(output).toContain('Signature is Valid.');
    expect(output).toContain('Total document signed');
  });

  test('openssl cms -verify accepts the extracted seal over the signed byte ranges', () => {
    const result = opensslVerifySeal(pdf, 'seal');
    expect(result.output).toContain('Verification successful');
  });

  test('attestflow verify and the upload endpoint say VALID', async () => {
    const cli = attestflow(['verify', writeTemp(dir, 'record.pdf', pdf)], { DATABASE_URL: system.databaseUrl, DATA_DIR: system.dataDir });
    expect(cli.output).toContain('VERDICT: VALID');
    expect(cli.code).toBe(0);
    const upload = await fetch(`${system.baseUrl}/api/verify/pdf`, {
      method: 'POST',
      headers: { 'content-type': 'application/pdf', cookie: auditor.cookie ?? '' },
      body: pdf,
    });
    expect(((await upload.json()) as { valid: boolean }).valid).toBe(true);
  });

  test('the text contains every signature manifestation and every audit event', () => {
    const { output } = tool('pdftotext', ['-layout', writeTemp(dir, 'record.pdf', pdf), '-']);
    const flat = output.replace(/\s+/g, ' ');
    for (const signature of thread.record.signatures as { printedName: string; meaning: string }[]) {
      expect(flat).toContain(signature.printedName);
      expect(flat).toContain(signature.meaning);
    }
    // The PDF cannot contain the event of its own generation.
    for (const event of (thread.audit as { action: string }[]).filter((e) => e.action !== 'record.pdf_generated')) expect(flat).toContain(event.action);
    expect(flat).toContain(thread.submitted.number);
  });

  test('one byte changed: pdfsig, openssl and attestflow verify all report the failure', async () => {
    const tampered = Buffer.from(pdf);
    const { signedBytes } = extractPdfSignature(pdf);
    const offset = Math.floor(signedBytes.length / 3);
    tampered[offset] = tampered[offset]! ^ 0x01;
    const file = writeTemp(dir, 'tampered.pdf', tampered);
    expect(tool('pdfsig', [file]).output).not.toContain('Signature is Valid.');
    const openssl = opensslVerifySeal(tampered, 'tampered');
    expect(openssl.code).not.toBe(0);
    const cli = attestflow(['verify', file], { DATABASE_URL: system.databaseUrl, DATA_DIR: system.dataDir });
    expect(cli.code).toBe(1);
    expect(cli.output).toContain('VERDICT: INVALID');
  });
});

describe('dossiers', () => {
  async function waitDone(session: HttpSession, id: string): Promise<{ body: any; seen: string[] }> {
    const seen: string[] = [];
    for (let i = 0; i < 600; i++) {
      const view = await session.get(`/api/dossiers/${id}`);
      seen.push(view.body.progress.description);
      if (view.body.status === 'done' || view.body.status === 'failed') return { body: view.body, seen };
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`dossier ${id} did not finish: ${seen.at(-1)}`);
  }

  test('a dossier of 50 records renders through the queue with progress, and verifies', async () => {
    const initiator = await system.session('initiator');
    const from = new Date(new Date(thread.submitted.createdAt as string).getTime() - 1).toISOString();
    // The closed change control of beforeAll, and 49 more in draft.
    for (let i = 1; i < 50; i++) {
      const created = await initiator.post('/api/change-controls', { ...SAMPLE_CHANGE, title: `Change ${i}: 变更 ${i}` });
      expect(created.status).toBe(201);
    }
    const to = new Date(Date.now() + 60_000).toISOString();
    const requested = await auditor.post('/api/dossiers', { title: 'Inspection 2026: change controls', selection: { type: 'change_control', from, to } });
    expect(requested.status).toBe(201);
    expect(requested.body.recordNumbers).toHaveLength(50);
    const { body, seen } = await waitDone(auditor, requested.body.id);
    expect(body).toMatchObject({ status: 'done', progress: { done: 50, total: 50 } });
    expect(seen.some((s) => s === 'queued' || s.startsWith('rendering'))).toBe(true);
    const file = await download(auditor, body.artifact.download);
    expect(file.status).toBe(200);
    const dossierFile = writeTemp(dir, 'dossier.pdf', file.bytes);
    expect(tool('pdfsig', [dossierFile]).output).toContain('Signature is Valid.');
    const cli = attestflow(['verify', dossierFile], { DATABASE_URL: system.databaseUrl, DATA_DIR: system.dataDir });
    expect(cli.output).toContain('VERDICT: VALID');
  });

  test('bad requests are refused with clear codes and create nothing', async () => {
    const initiator = await system.session('initiator');
    const engineering = await system.session('engineering');
    const own = await engineering.post('/api/change-controls', SAMPLE_CHANGE);
    const cases: [unknown, number, string][] = [
      [{ title: 'Unknown', selection: { numbers: ['CC-2026-9999'] } }, 404, 'unknown_record'],
      [{ title: 'Empty', selection: { numbers: [] } }, 400, 'empty_selection'],
      [{ title: 'Empty range', selection: { type: 'change_control', from: '2001-01-01T00:00:00Z', to: '2001-12-31T00:00:00Z' } }, 400, 'empty_selection'],
      [
        { title: 'Too big', selection: { numbers: Array.from({ length: MAX_RECORDS + 1 }, (_, i) => `CC-2026-${String(i + 1).padStart(4, '0')}`) } },
        400,
        'dossier_too_large',
      ],
      [{ title: 'By lot', selection: { lot: 'L-1' } }, 404, 'unknown_lot'],
      [{ title: 'An item alone', selection: { item: 'CMP-HOUSING' } }, 400, 'validation_failed'],
      [{ title: 'Two ways', selection: { numbers: ['CC-2026-0001'], lot: 'L-1' } }, 400, 'validation_failed'],
    ];
    for (const [body, status, code] of cases) {
      const response = await auditor.post('/api/dossiers', body);
      expect({ code: response.body.code, status: response.status }).toEqual({ code, status });
    }
    // An initiator reads only their own records.
    const refused = await initiator.post('/api/dossiers', { title: 'Not mine', selection: { numbers: [own.body.number] } });
    expect(refused).toMatchObject({ status: 403, body: { code: 'record_not_readable' } });
    const count = (await system.database.db.execute(sql`SELECT count(*)::int AS n FROM dossiers`)).rows[0] as { n: number };
    expect(count.n).toBe(1);
  });

  test('a job lost with Redis is re-queued from the database when the PDF generator starts', async () => {
    await system.stopRenderWorker();
    const requested = await auditor.post('/api/dossiers', { title: 'Lost job', selection: { numbers: [thread.submitted.number] } });
    expect(requested.body.status).toBe('queued');
    const queue = new Queue(DOSSIER_QUEUE, { connection: redisConnection(system.config.redisUrl), prefix: system.config.queuePrefix });
    await queue.obliterate({ force: true });
    expect(await queue.getJobCounts('waiting', 'active')).toEqual({ waiting: 0, active: 0 });
    await queue.close();
    const worker = await system.startRenderWorker();
    expect(worker.requeued).toBe(1);
    const { body } = await waitDone(auditor, requested.body.id);
    expect(body.status).toBe('done');
  });

  test('the list shows the dossiers a person may read, newest first, searched and paged', async () => {
    const initiator = await system.session('initiator');
    const mine = await initiator.post('/api/dossiers', { title: 'The initiator’s own dossier', selection: { numbers: [thread.submitted.number] } });
    expect(mine.status).toBe(201);
    const titles = (body: { title: string }[]) => body.map((d) => d.title);

    const all = await auditor.get('/api/dossiers');
    expect(all.status).toBe(200);
    expect(titles(all.body)).toEqual(['The initiator’s own dossier', 'Lost job', 'Inspection 2026: change controls']);
    expect(all.body[0]).toMatchObject({ id: mine.body.id, records: 1, progress: { total: 1 } });
    expect(all.body[1]).toMatchObject({ status: 'done', records: 1, progress: { done: 1, total: 1 }, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(all.body[0].requestedBy).not.toBe(all.body[1].requestedBy);
    // Anyone else sees the dossiers they requested.
    expect(titles((await initiator.get('/api/dossiers')).body)).toEqual(['The initiator’s own dossier']);
    expect(titles((await auditor.get('/api/dossiers?q=LOST')).body)).toEqual(['Lost job']);
    expect(titles((await auditor.get('/api/dossiers?limit=1&offset=1')).body)).toEqual(['Lost job']);
    expect(await auditor.get('/api/dossiers?limit=0')).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
  });
});
