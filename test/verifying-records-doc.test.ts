// docs/verifying-records.md, run as written: its shell blocks are taken from the document (so this
// test breaks when the document drifts) and run against a sealed record PDF made by the test system,
// each in a fresh directory with a fresh HOME (and so a fresh NSS database for pdfsig).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { processWorkflowId } from '../workflows/contracts/process-contracts';
import { runChangeControlThread } from './support/change-control-thread';
import { startTestSystem, type TestSystem } from './support/test-system';

const ROOT = path.join(__dirname, '..');
const DOC = fs.readFileSync(path.join(ROOT, 'docs', 'verifying-records.md'), 'utf8');
/** The file names the document uses for the record PDF and the CA certificate. */
const DOC_RECORD = 'CC-2026-0001-v1';
const DOC_HOST = 'https://qms.example.com';

/** The fenced `sh` blocks of the section whose heading starts with `## <number>.`. */
function shellBlocks(section: number): string[] {
  const start = DOC.search(new RegExp(`^## ${section}\\. `, 'm'));
  if (start < 0) throw new Error(`docs/verifying-records.md has no section "## ${section}."`);
  const rest = DOC.slice(start + 1);
  const end = rest.search(/^## /m);
  const body = end < 0 ? rest : rest.slice(0, end);
  return [...body.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}

/** The inline code spans of a section's prose (commands written into a sentence). */
function inlineCode(section: number, containing: RegExp): string[] {
  const start = DOC.search(new RegExp(`^## ${section}\\. `, 'm'));
  const rest = DOC.slice(start + 1);
  const end = rest.search(/^## /m);
  const prose = (end < 0 ? rest : rest.slice(0, end)).replace(/^```[\s\S]*?^```$/gm, '');
  return [...prose.matchAll(/`([^`]+)`/g)].map((m) => m[1]!.replace(/\s*\n\s*/g, ' ')).filter((code) => containing.test(code));
}

let system: TestSystem;
let record: { id: string; number: string; version: number; contentHash: string; signatureId: string };
let pdf: Buffer;

beforeAll(async () => {
  system = await startTestSystem('verifying_records_doc');
  const thread = await runChangeControlThread(system.people);
  await system.temporal.workflow.getHandle(processWorkflowId(thread.id)).result();
  const auditor = await system.session('auditor');
  const response = await fetch(`${system.baseUrl}/api/records/${thread.id}/pdf`, { headers: { cookie: auditor.cookie ?? '' } });
  expect(response.status).toBe(200);
  pdf = Buffer.from(await response.arrayBuffer());
  const view = thread.record as { number: string; version: number; contentHash: string; signatures: { id: string }[] };
  record = { id: thread.id, number: view.number, version: view.version, contentHash: view.contentHash, signatureId: view.signatures[0]!.id };
});
afterAll(() => system?.close());

/**
 * Runs a block from the document in a fresh directory holding the record PDF and the CA under the
 * document's names, with HOME there too; the document's host and record names become the test's.
 */
async function run(script: string, options: { placeholders?: Record<string, string> } = {}): Promise<{ code: number | null; output: string; dir: string }> {
  const dir = fs.mkdtempSync(path.join(system.dataDir, 'doc-'));
  const recordName = `${record.number}-v${record.version}`;
  fs.writeFileSync(path.join(dir, `${recordName}.pdf`), pdf);
  let body = script.replaceAll(DOC_HOST, system.baseUrl).replaceAll(DOC_RECORD, recordName);
  for (const [from, to] of Object.entries(options.placeholders ?? {})) body = body.replaceAll(from, to);
  if (!/curl -o attestflow-ca\.pem/.test(body)) fs.copyFileSync(path.join(system.dataDir, 'pki', 'ca.pem'), path.join(dir, 'attestflow-ca.pem'));
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  // `attestflow` as an installed package puts it on PATH.
  fs.writeFileSync(path.join(bin, 'attestflow'), `#!/bin/sh\nexec "${process.execPath}" "${path.join(ROOT, 'bin', 'attestflow.js')}" "$@"\n`, { mode: 0o755 });
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: dir, PATH: `${bin}:${process.env.PATH ?? ''}` };
  delete env.DATA_DIR;
  delete env.DATABASE_URL;
  // Asynchronously: `curl` asks this process's API, which must keep answering meanwhile.
  const child = spawn('bash', ['-euo', 'pipefail', '-c', body], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  return { code, output, dir };
}

test('1. the CA certificate from GET /api/pki/ca.pem, and its fingerprint', async () => {
  const [block] = shellBlocks(1);
  expect(block).toContain('curl -o attestflow-ca.pem');
  const result = await run(block!);
  expect(result.code).toBe(0);
  expect(result.output).toMatch(/subject=.*Attestflow Demo Organisation/);
  expect(result.output).toMatch(/SHA256 Fingerprint=([0-9A-F]{2}:){31}[0-9A-F]{2}/i);
  expect(fs.readFileSync(path.join(result.dir, 'attestflow-ca.pem'), 'utf8')).toBe(fs.readFileSync(path.join(system.dataDir, 'pki', 'ca.pem'), 'utf8'));
});

test('2. attestflow verify with --ca, without a database', async () => {
  const [block] = shellBlocks(2);
  const result = await run(block!);
  expect(result.output).toContain('VERDICT: VALID');
  expect(result.output).toMatch(/The audit trail reached event \d+, hash [0-9a-f]{64}/);
  expect(result.code).toBe(0);
});

test('3. pdfsig with a fresh NSS database: the signature is valid and the certificate trusted', async () => {
  const [block] = shellBlocks(3);
  expect(block).toContain('certutil');
  const result = await run(block!);
  expect(result.code).toBe(0);
  // What the document says to expect.
  for (const expected of ['Signature is Valid.', 'Certificate is Trusted.', 'ETSI.CAdES.detached', 'Total document signed']) {
    expect(DOC.replace(/\s+/g, ' ')).toContain(expected);
    expect(result.output).toContain(expected);
  }
  expect(result.output).not.toContain("Certificate issuer isn't Trusted");
});

test('5. each person’s signature by hand: pdfdetach, openssl cms -verify, sha256sum', async () => {
  const [block] = shellBlocks(5);
  const result = await run(block!, { placeholders: { '<id>': record.signatureId } });
  expect(result.code).toBe(0);
  expect(result.output).toContain('CMS Verification successful');
  const manifest = JSON.parse(fs.readFileSync(path.join(result.dir, `signature-${record.signatureId}.json`), 'utf8')) as { contentHash: string };
  expect(manifest.contentHash).toBe(record.contentHash);
  expect(result.output).toContain(`${record.contentHash}  record-${record.number}-v${record.version}.json`);
});

test('6. the audit checkpoint by hand: pdfdetach, jq, openssl cms -verify', async () => {
  const commands = inlineCode(6, /^(pdfdetach|jq|openssl) /);
  expect(commands).toHaveLength(4);
  // `<n>` is the attachment's number in `pdfdetach -list`.
  const script = commands
    .map((c) => (c.startsWith('pdfdetach -save <n>') ? `n=$(pdfdetach -list file.pdf | sed -n 's/^\\([0-9]*\\): audit-checkpoint.json$/\\1/p'); ${c}` : c))
    .join('\n');
  const result = await run(`cp ${record.number}-v${record.version}.pdf file.pdf\n${script.replaceAll('<n>', '$n')}`);
  expect(result.output).toContain('CMS Verification successful');
  expect(result.code).toBe(0);
});
