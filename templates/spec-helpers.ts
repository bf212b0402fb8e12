// Test support for the template specs: deterministic fixtures and poppler-utils wrappers.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { canonicalJson } from '../signatures/canonical-json';
import type { RecordAuditEntry, RecordSectionInput, RecordSignatureEntry } from './types';

const POPPLER = ['pdftotext', 'pdffonts', 'pdfinfo', 'pdfdetach'] as const;

/** Fails loudly (never skips) when poppler-utils is not installed. */
export function requirePoppler(): void {
  const missing = POPPLER.filter((tool) => spawnSync(tool, ['-v'], { encoding: 'utf8' }).error !== undefined);
  if (missing.length > 0) {
    throw new Error(
      `poppler-utils is required by the PDF template specs but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not on PATH: run "apt-get install -y poppler-utils".`,
    );
  }
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `attestflow-${prefix}-`));
}

export function writePdf(dir: string, name: string, pdf: Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, pdf);
  return file;
}

const run = (tool: string, args: string[]): string => execFileSync(tool, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });

export const pdftotext = (file: string, options: { layout?: boolean; first?: number; last?: number } = {}): string =>
  run('pdftotext', [
    ...(options.layout === false ? [] : ['-layout']),
    ...(options.first ? ['-f', String(options.first)] : []),
    ...(options.last ? ['-l', String(options.last)] : []),
    '-enc',
    'UTF-8',
    file,
    '-',
  ]);

export interface FontRow {
  name: string;
  type: string;
  emb: string;
  sub: string;
  uni: string;
}

/** `pdffonts` rows (name, type, emb, sub, uni), read from the fixed columns of its header line. */
export function pdffonts(file: string): FontRow[] {
  const lines = run('pdffonts', [file]).split('\n');
  const header = lines[0] ?? '';
  const col = (label: string) => header.indexOf(label);
  const [type, encoding, emb, sub, uni, object] = ['type', 'encoding', 'emb', 'sub', 'uni', 'object'].map(col) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return lines
    .slice(2)
    .filter((l) => l.trim() !== '')
    .map((l) => ({
      name: l.slice(0, type).trim(),
      type: l.slice(type, encoding).trim(),
      emb: l.slice(emb, sub).trim(),
      sub: l.slice(sub, uni).trim(),
      uni: l.slice(uni, object).trim(),
    }));
}

export function pdfinfo(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of run('pdfinfo', [file]).split('\n')) {
    const match = /^([^:]+):\s*(.*)$/.exec(line);
    if (match) out[match[1]!.trim()] = match[2]!.trim();
  }
  return out;
}

/** Names listed by `pdfdetach -list`. */
export function pdfdetachList(file: string): string[] {
  return run('pdfdetach', ['-list', '-enc', 'UTF-8', file])
    .split('\n')
    .map((l) => /^\s*\d+:\s*(.*)$/.exec(l)?.[1]?.trim())
    .filter((n): n is string => n !== undefined && n !== '');
}

/** Saves the attachment named `name` with `pdfdetach -save <n>` (n from -list) and returns its bytes. */
export function pdfdetachSave(file: string, name: string, dir: string): Buffer {
  const index = pdfdetachList(file).indexOf(name);
  if (index < 0) throw new Error(`${file} has no attachment named ${name}`);
  const out = path.join(dir, `detached-${createHash('sha256').update(name).digest('hex').slice(0, 12)}`);
  run('pdfdetach', ['-save', String(index + 1), '-o', out, file]);
  return fs.readFileSync(out);
}

/** Saves every attachment with `pdfdetach -saveall` into a new folder; returns name → bytes. */
export function pdfdetachSaveAll(file: string, dir: string): Map<string, Buffer> {
  const out = fs.mkdtempSync(path.join(dir, 'all-'));
  run('pdfdetach', ['-saveall', '-enc', 'UTF-8', '-o', out, file]);
  return new Map(fs.readdirSync(out).map((name) => [name, fs.readFileSync(path.join(out, name))]));
}

/** Collapses every run of whitespace to one space (text that wraps onto two lines still matches). */
export const flat = (text: string): string => text.replace(/\s+/g, ' ');

// ---------------------------------------------------------------------------------------------
// Fixtures

const BASE = Date.UTC(2025, 2, 14, 8, 0, 0);
const minutes = (n: number) => new Date(BASE + n * 60_000);
const digest = (seed: string) => createHash('sha256').update(seed).digest();

/** A v4-shaped UUID derived from a seed (the verifier expects signature ids to look like UUIDs). */
export function seededUuid(seed: string): string {
  const h = digest(seed).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const LATIN_NAME = 'Zoë Ñúñez-Øster Łódź';
export const CHINESE_COMMENT = '张伟 审核通过';

const ACTORS = ['Alice Martin', LATIN_NAME, '张伟', 'Bjørn Ødegård', 'system'];
const ACTIONS = ['record.update', 'record.view', 'field.change', 'sig.apply', 'record.export'];

export function auditEvents(count: number, seed = 'audit'): RecordAuditEntry[] {
  return Array.from({ length: count }, (_, i) => ({
    seq: i + 1,
    occurredAt: minutes(i * 7 + 1),
    actor: ACTORS[i % ACTORS.length]!,
    action: `${ACTIONS[i % ACTIONS.length]}.${String(i + 1).padStart(4, '0')}`,
    oldValue: i % 9 === 0 ? null : { field: `f${i % 13}`, value: i },
    newValue: i % 11 === 0 ? undefined : { field: `f${i % 13}`, value: i + 1, note: i % 50 === 0 ? `${seed} 变更 ${'long value '.repeat(30)}` : undefined },
    reason: i % 4 === 0 ? `Reason ${i + 1}: correction after review` : null,
  }));
}

function signature(
  recordNumber: string,
  version: number,
  contentHash: string,
  n: number,
  printedName: string,
  meaning: string,
  step: string,
  comment: string | null,
): RecordSignatureEntry {
  const id = seededUuid(`${recordNumber}-sig-${n}`);
  const signedAt = minutes(60 * 24 + n * 37);
  const manifest = { contentHash, meaning, printedName, recordNumber, recordVersion: version, signatureId: id, signedAt: signedAt.toISOString(), step };
  return {
    id,
    printedName,
    signedAt,
    meaning,
    step,
    comment,
    recordVersion: version,
    contentHash,
    certificateSerial: digest(`${id}-serial`).toString('hex').slice(0, 16).toUpperCase(),
    cmsBase64: Buffer.concat([Buffer.from([0x30, 0x82]), digest(`${id}-cms-1`), digest(`${id}-cms-2`), digest(`${id}-cms-3`)]).toString('base64'),
    manifestJson: canonicalJson(manifest),
  };
}

/** A record with nested content, a long text, state history, 3 signatures and `auditCount` events. */
export function sampleRecord(options: { number?: string; title?: string; auditCount?: number; seed?: string } = {}): RecordSectionInput {
  const number = options.number ?? 'CC-0001';
  const seed = options.seed ?? number;
  const content = {
    title: options.title ?? 'Replace the filling-line torque sensor',
    description: `${'The torque sensor on filling line 3 drifts beyond ±2 % after 400 operating hours. '.repeat(40)}\n\nSecond paragraph: 张伟 审核通过 — Zoë Ñúñez-Øster Łódź reviewed the supplier's data sheet.`,
    riskAssessment: {
      severity: 'major',
      probability: 'low',
      mitigations: ['Daily calibration check', 'Spare sensor on site', { owner: 'Maintenance', dueDays: 14 }],
    },
    affectedDocuments: ['SOP-014 rev. 7', 'WI-203 rev. 2'],
    batchRelease_required: false,
    emptyList: [],
    verificationEvidence: `sha256:${digest(`${seed}-evidence`).toString('hex')}${digest(`${seed}-evidence-2`).toString('base64')}`,
  };
  const json = canonicalJson(content);
  const contentHash = createHash('sha256').update(json).digest('hex');
  const version = 3;
  return {
    record: {
      id: seededUuid(`${seed}-record`),
      number,
      type: 'change_control',
      title: content.title,
      status: 'closed',
      version,
      contentHash,
      createdAt: minutes(0),
      createdBy: 'Alice Martin',
    },
    content,
    canonicalJson: json,
    history: [
      { from: null, to: 'draft', at: minutes(0), actor: 'Alice Martin', reason: null },
      { from: 'draft', to: 'in_review', at: minutes(90), actor: 'Alice Martin', reason: 'Ready for review' },
      { from: 'in_review', to: 'approved', at: minutes(60 * 24 + 80), actor: LATIN_NAME, reason: null },
      { from: 'approved', to: 'closed', at: minutes(60 * 48), actor: '张伟', reason: 'Effectiveness check passed' },
    ],
    signatures: [
      signature(number, version, contentHash, 1, 'Alice Martin', 'Authored', 'submit', null),
      signature(number, version, contentHash, 2, LATIN_NAME, 'Approved', 'quality_approval', 'Risk accepted; see WI-203.'),
      signature(number, version, contentHash, 3, '张伟', 'Reviewed', 'technical_review', CHINESE_COMMENT),
    ],
    audit: auditEvents(options.auditCount ?? 1000, seed),
    links: [
      { relation: 'implements', number: 'CAPA-0042', title: 'Torque drift on line 3' },
      { relation: 'references', number: 'DEV-0107', title: 'Deviation: overfilled vials' },
    ],
  };
}
