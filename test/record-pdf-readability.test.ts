// The sealed record PDF as an auditor reads it (21 CFR 11.10(b), 11.50): page 1 says who signed and
// what each signature means; the process's labels instead of internal names; people by name, not id;
// the two risk levels told apart; long audited text wrapped as text, not printed as JSON.
import fs from 'node:fs';
import path from 'node:path';
import { processWorkflowId } from '../workflows/contracts/process-contracts';
import { changeAwaitingApproval, SAMPLE_CHANGE, SMALL_IMPACT, signOff, waitForStatus } from './support/change-control-thread';
import { attestflow } from './support/cli';
import { tool, writeTemp } from './support/pdf-tools';
import { startTestSystem, type TestSystem } from './support/test-system';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
/** About 2,000 characters of prose: a description as people write them. */
const LONG_DESCRIPTION = Array.from(
  { length: 18 },
  (_, i) => `Paragraph ${i + 1}: the O-ring of housing 4711 moves to the second approved supplier, whose compound and drawing are unchanged.`,
).join(' ');

let system: TestSystem;
let pdfFile: string;
let pages: string[];
let text: string;
let ids: { production: string; initiator: string; qa: string; recordId: string };
const signers: { printedName: string; meaning: string; signedAt: string }[] = [];

beforeAll(async () => {
  system = await startTestSystem('record_pdf_readability');
  const initiator = await system.session('initiator');
  const submitted = await changeAwaitingApproval(
    initiator,
    {
      ...SMALL_IMPACT,
      impact: { ...SMALL_IMPACT.impact, riskLevel: 'low' },
      implementationTasks: [{ title: 'Release the new supplier in the ERP', ownerUsername: 'production' }],
    },
    { ...SAMPLE_CHANGE, description: LONG_DESCRIPTION, riskLevel: 'high' },
  );
  const qa = await system.people.signer('qa');
  const approved = await qa.post(`/api/change-controls/${submitted.id}/sign`, signOff(system.people, qa, 'qa', submitted as never, 'approved'));
  expect(approved.status).toBe(200);
  const production = await system.session('production');
  const task = approved.body.record.openTasks.find((t: { action: string }) => t.action === 'complete');
  expect((await production.post(`/api/change-controls/${submitted.id}/tasks/${task.id}/complete`, { note: 'Released.' })).status).toBe(200);
  const verifying = await waitForStatus(qa, `/api/change-controls/${submitted.id}`, 'effectiveness_verification');
  const verified = await qa.post(`/api/change-controls/${submitted.id}/sign`, signOff(system.people, qa, 'qa', verifying as never, 'verified'));
  expect(verified.status).toBe(200);
  await system.temporal.workflow.getHandle(processWorkflowId(submitted.id)).result();

  const auditor = await system.session('auditor');
  const response = await fetch(`${system.baseUrl}/api/records/${submitted.id}/pdf`, { headers: { cookie: auditor.cookie ?? '' } });
  expect(response.status).toBe(200);
  const dir = fs.mkdtempSync(path.join(system.dataDir, 'pdf-'));
  pdfFile = writeTemp(dir, 'record.pdf', Buffer.from(await response.arrayBuffer()));
  text = tool('pdftotext', ['-layout', pdfFile, '-']).output;
  pages = text.split('\f');
  const record = (await auditor.get(`/api/change-controls/${submitted.id}`)).body;
  signers.push(...(record.signatures as { printedName: string; meaning: string; signedAt: string }[]));
  const users = (await (await system.session('admin')).get('/api/admin/users')).body as { id: string; username: string }[];
  const idOf = (username: string) => users.find((u) => u.username === username)!.id;
  ids = { production: idOf('production'), initiator: idOf('initiator'), qa: idOf('qa'), recordId: submitted.id };
  if (process.env.KEEP_RECORD_PDF) fs.copyFileSync(pdfFile, process.env.KEEP_RECORD_PDF);
});
afterAll(() => system?.close());

const flat = (s: string) => s.replace(/\s+/g, ' ');

test('page 1 names every signer with the meaning, date and time with zone of the signature', () => {
  expect(signers.map((s) => s.meaning).sort()).toEqual(['approved', 'verified']);
  const first = flat(pages[0]!);
  expect(first).toContain('Signatures');
  for (const s of signers) {
    // "2026-12-02 01:19:17 UTC (UTC+00:00)": the test system prints times in UTC.
    const when = `${s.signedAt.slice(0, 19).replace('T', ' ')} UTC (UTC+00:00)`;
    expect(first).toContain(`${s.printedName} ${s.meaning} ${when}`);
  }
});

test('no internal names: record type and steps carry the process’s labels, long words are not broken', () => {
  const all = flat(text);
  expect(all).not.toMatch(/change_control|effectiveness_verification|impact_assessment|effectiveness_ve\b/);
  expect(all).toContain('Change control');
  expect(all).toContain('Effectiveness verification');
  expect(all).toContain('Impact assessment');
});

test('task owners and other people appear by name, never by user id', () => {
  const found = text.match(UUID) ?? [];
  for (const id of [ids.production, ids.initiator, ids.qa]) expect(found).not.toContain(id);
  expect(flat(text)).toMatch(/Owner.{0,20}Pedro Rossi/);
});

test('the change request’s risk level and the impact assessment’s risk level carry distinct labels', () => {
  const lines = text.split('\n').filter((l) => /risk level/i.test(l) && !/→/.test(l));
  const labels = new Set(lines.map((l) => l.trim().split(/\s{2,}/)[0]));
  expect(labels.size).toBeGreaterThanOrEqual(2);
  expect(flat(text)).toMatch(/Risk level \(change request\) high/);
  expect(flat(text)).toMatch(/Risk level \(impact assessment\) low/);
});

test('an audit entry with a long description shows changed fields as text, wrapped, not as JSON', () => {
  const start = text.indexOf('Audit trail');
  expect(start).toBeGreaterThan(0);
  const audit = text.slice(start);
  expect(audit).not.toMatch(/\{"/);
  expect(audit).not.toMatch(/"description":/);
  // The long description is printed once in the audit trail, as words.
  expect(flat(audit)).toContain('Paragraph 18: the O-ring of housing 4711 moves to the second approved supplier');
  expect(flat(audit)).toMatch(/Description:? /);
});

test('the seal and attestflow verify still say valid', () => {
  expect(tool('pdfsig', [pdfFile]).output).toContain('Signature is Valid.');
  const cli = attestflow(['verify', pdfFile], { DATABASE_URL: system.databaseUrl, DATA_DIR: system.dataDir });
  expect(cli.output).toContain('VERDICT: VALID');
});
