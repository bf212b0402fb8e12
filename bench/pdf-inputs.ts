// Synthetic, deterministic inputs for the PDF benchmarks (a seeded generator, so every child process
// builds the same bytes), the strings those inputs print, and the plain-text pdfkit writer that is
// their baseline.
import { createHash } from 'node:crypto';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { canonicalJson } from '../signatures/canonical-json';
import { timeFormatter } from '../templates/format';
import { auditChangeLines } from '../templates/audit-changes';
import { labellerFor } from '../templates/labels';
import { contentRows } from '../templates/sections/content';
import { manifestation } from '../templates/sections/signatures';
import type { DossierPdfInput, RecordAuditEntry, RecordPdfInput, RecordSectionInput, RecordSignatureEntry } from '../templates/types';

export const ORGANISATION = 'Attestflow Pharma GmbH';
export const TIME_ZONE = 'Europe/Berlin';
export const GENERATED_AT = new Date('2026-06-30T16:00:00.000Z');
/** The one Latin-extended printed name and the one Chinese comment among a record's signatures. */
export const LATIN_EXTENDED_NAME = 'Zoë Ñúñez-Øster Łódź';
export const CHINESE_COMMENT = '已审核：风险评估完整，同意实施变更。';

/** mulberry32, seeded from a string: fast, deterministic, good enough for fixtures. */
class Random {
  private state: number;

  constructor(seed: string) {
    this.state = createHash('sha256').update(seed).digest().readUInt32LE(0);
  }

  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  bytes(length: number): Buffer {
    const out = Buffer.alloc(length);
    for (let i = 0; i < length; i += 4) out.writeUInt32LE((this.next() * 4294967296) >>> 0, Math.min(i, length - 4));
    return out;
  }

  hex(length: number): string {
    return this.bytes(Math.ceil(length / 2))
      .toString('hex')
      .slice(0, length);
  }

  uuid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}

const PEOPLE = ['Alice Martin', LATIN_EXTENDED_NAME, 'Bjørn Ødegård', 'Ana Lúcia Gonçalves', 'Şükrü Çelik', 'Małgorzata Wiśniewska', 'Rahul Iyer', 'Chen Jing'];
const FIELDS = [
  'description',
  'reasonForChange',
  'riskAssessment.severity',
  'riskAssessment.mitigations',
  'targetDate',
  'affectedDocuments',
  'implementationPlan',
];
const REASONS = [
  'Corrected after QA review comment',
  'Supplier data sheet rev. C received; values updated',
  'Typo in the affected document list',
  'Risk re-assessed after the FMEA workshop',
  'Target date moved: spare part lead time 6 weeks',
  'Clarified scope at the request of the process owner',
  'Aligned with deviation DEV-2026-0107 findings',
];
const SENTENCES = [
  'The torque sensor on filling line 3 drifts beyond ±2 % after about 400 operating hours.',
  'Supplier B offers the TS-440 with a documented drift below 0.5 % over 2,000 hours.',
  'Calibration intervals would be extended from weekly to monthly after a successful PQ.',
  'The change affects the line clearance checklist and the maintenance work instruction.',
  'No change to registered process parameters; the regulatory impact is assessed as none.',
  'Operators will be trained on the new sensor before the first production batch.',
  'The old sensors are quarantined and returned to the supplier with a failure report.',
];
const MEANINGS = [
  { meaning: 'Authored', step: 'submit' },
  { meaning: 'Reviewed', step: 'technical_review' },
  { meaning: 'Approved', step: 'quality_approval' },
];
const RECORD_TYPES = [
  { type: 'change_control', prefix: 'CC' },
  { type: 'capa', prefix: 'CAPA' },
  { type: 'deviation', prefix: 'DEV' },
  { type: 'document_change', prefix: 'DCR' },
];

const text = (rng: Random, sentences: number) => Array.from({ length: sentences }, () => rng.pick(SENTENCES)).join(' ');
const sha256Hex = (data: string) => createHash('sha256').update(data).digest('hex');

function changeControlContent(rng: Random, title: string, size: 'full' | 'short'): Record<string, unknown> {
  const tasks = size === 'full' ? 6 : 2;
  return {
    title,
    changeType: rng.pick(['equipment', 'process', 'supplier', 'document']),
    description: text(rng, size === 'full' ? 18 : 6),
    reasonForChange: text(rng, size === 'full' ? 4 : 2),
    riskAssessment: {
      severity: rng.pick(['minor', 'major', 'critical']),
      probability: rng.pick(['low', 'medium']),
      detectability: rng.pick(['high', 'medium']),
      rpn: rng.int(8, 60),
      mitigations: ['Daily calibration check', 'Spare sensor on site', { owner: rng.pick(PEOPLE), dueDays: rng.int(7, 30) }],
    },
    affectedProducts: ['Vial 10 mL WFI', 'Vial 20 mL saline 0.9 %'],
    affectedDocuments: ['SOP-014 rev. 7', 'WI-203 rev. 2', 'VAL-PQ-031 rev. 1'],
    implementationPlan: Array.from({ length: tasks }, (_, i) => ({
      step: i + 1,
      task: rng.pick(SENTENCES),
      owner: rng.pick(PEOPLE),
      due: `2026-0${rng.int(2, 6)}-${String(rng.int(1, 28)).padStart(2, '0')}`,
    })),
    validationRequired: rng.next() < 0.7,
    regulatoryImpact: 'None: no change to registered process parameters.',
    verificationEvidence: `sha256:${rng.hex(64)}`,
  };
}

/** One audit event: field edits with old and new JSON, views, comments, attachments, transitions. */
function auditEvent(rng: Random, seq: number, at: Date, record: { number: string; contentHash: string }): RecordAuditEntry {
  const actor = rng.pick(PEOPLE);
  const roll = rng.next();
  const base = { seq, occurredAt: at, actor };
  if (roll < 0.45) {
    const field = rng.pick(FIELDS);
    const value = (): unknown =>
      field === 'affectedDocuments'
        ? ['SOP-014 rev. 7', `WI-${rng.int(100, 400)} rev. ${rng.int(1, 9)}`]
        : field === 'implementationPlan'
          ? {
              step: rng.int(1, 6),
              task: rng.pick(SENTENCES),
              owner: rng.pick(PEOPLE),
              due: `2026-0${rng.int(2, 6)}-${String(rng.int(1, 28)).padStart(2, '0')}`,
            }
          : field === 'targetDate'
            ? `2026-0${rng.int(2, 9)}-${String(rng.int(1, 28)).padStart(2, '0')}`
            : field === 'riskAssessment.severity'
              ? rng.pick(['minor', 'major', 'critical'])
              : text(rng, rng.int(1, 2));
    return { ...base, action: 'record.content_updated', oldValue: { [field]: value() }, newValue: { [field]: value() }, reason: rng.pick(REASONS) };
  }
  if (roll < 0.65)
    return { ...base, action: 'record.viewed', oldValue: null, newValue: { version: rng.int(1, 3), via: rng.pick(['web', 'api']) }, reason: null };
  if (roll < 0.75) {
    const comment = rng.next() < 0.2 ? '请确认供应商的校准证书。' : rng.pick(REASONS);
    return { ...base, action: 'comment.added', oldValue: null, newValue: { commentId: rng.uuid(), text: comment }, reason: null };
  }
  if (roll < 0.85) {
    const fileName = `${rng.pick(['datasheet', 'fmea', 'calibration-certificate', 'training-record'])}-${rng.int(1, 99)}.pdf`;
    return {
      ...base,
      action: 'attachment.added',
      oldValue: null,
      newValue: { fileName, sha256: rng.hex(64), size: rng.int(20_000, 4_000_000) },
      reason: 'Evidence for the change',
    };
  }
  if (roll < 0.95) {
    return {
      ...base,
      action: 'signature.applied',
      oldValue: null,
      newValue: { signatureId: rng.uuid(), meaning: rng.pick(MEANINGS).meaning, contentHash: record.contentHash, recordNumber: record.number },
      reason: null,
    };
  }
  const [from, to] = rng.pick([
    ['draft', 'in_review'],
    ['in_review', 'draft'],
    ['in_review', 'approved'],
    ['approved', 'implementation'],
  ] as const);
  return { ...base, action: 'workflow.transition', oldValue: { status: from }, newValue: { status: to }, reason: rng.pick(REASONS) };
}

/**
 * A detached CMS of realistic size: a CAdES SignedData over the manifest carrying a 3072-bit user
 * certificate and the organisation CA certificate is about 3 KB of DER (≈ 4 KB base64).
 */
function signature(
  rng: Random,
  record: RecordSectionInput['record'],
  at: Date,
  who: { printedName: string; meaning: string; step: string; comment: string | null },
): RecordSignatureEntry {
  const id = rng.uuid();
  const cmsBody = rng.bytes(rng.int(2900, 3100));
  const cms = Buffer.concat([Buffer.from([0x30, 0x82, cmsBody.length >> 8, cmsBody.length & 0xff]), cmsBody]);
  const manifest = {
    v: 1,
    signatureId: id,
    recordId: record.id,
    recordNumber: record.number,
    recordVersion: record.version,
    contentHash: record.contentHash,
    signerId: rng.uuid(),
    printedName: who.printedName,
    meaning: who.meaning,
    comment: who.comment,
    signedAt: at.toISOString(),
    step: who.step,
  };
  return {
    id,
    printedName: who.printedName,
    signedAt: at,
    meaning: who.meaning,
    step: who.step,
    comment: who.comment,
    recordVersion: record.version,
    contentHash: record.contentHash,
    certificateSerial: rng.hex(32).toUpperCase(),
    cmsBase64: cms.toString('base64'),
    manifestJson: canonicalJson(manifest),
  };
}

interface SectionOptions {
  index: number;
  auditEvents: number;
  signatures: number;
  size: 'full' | 'short';
  seed: string;
  links: string[];
}

/**
 * A record's row and latest content, the first draws of its seeded generator: what the render
 * worker reads for a record's summary (loadRecordSummary), without its audit trail or signatures.
 */
function recordHead(options: SectionOptions) {
  const rng = new Random(`${options.seed}-${options.index}`);
  const kind = options.size === 'full' ? RECORD_TYPES[0]! : RECORD_TYPES[options.index % RECORD_TYPES.length]!;
  const number = `${kind.prefix}-2026-${String(options.index + 1).padStart(4, '0')}`;
  const title = `${rng.pick(['Replace', 'Requalify', 'Revise', 'Investigate'])} ${rng.pick(['the filling-line 3 torque sensor', 'SOP-014 line clearance', 'the WFI loop sampling plan', 'supplier B qualification'])}`;
  const content = changeControlContent(rng, title, options.size);
  const json = canonicalJson(content);
  const createdAt = new Date(Date.UTC(2026, 0, 5, 8) + options.index * 3_600_000);
  const record = {
    id: rng.uuid(),
    number,
    type: kind.type,
    title,
    status: 'closed',
    version: 3,
    contentHash: sha256Hex(json),
    createdAt,
    createdBy: 'Alice Martin',
  };
  return { rng, record, content, json, createdAt };
}

function recordSection(options: SectionOptions): RecordSectionInput {
  const { rng, record, content, json, createdAt } = recordHead(options);
  let t = createdAt.getTime();
  const audit = Array.from({ length: options.auditEvents }, (_, i) => auditEvent(rng, i + 1, new Date((t += rng.int(1, 90) * 60_000)), record));
  const signers = [
    { printedName: 'Alice Martin', ...MEANINGS[0]!, comment: null },
    { printedName: LATIN_EXTENDED_NAME, ...MEANINGS[2]!, comment: 'Risk accepted; see WI-203 rev. 2 for the calibration check.' },
    { printedName: '张伟', ...MEANINGS[1]!, comment: CHINESE_COMMENT },
  ];
  const chosen = options.signatures === 3 ? signers : signers.slice(0, options.signatures).map((s, i) => (i === 1 ? signers[2]! : s));
  return {
    record,
    content,
    canonicalJson: json,
    history: [
      { from: null, to: 'draft', at: createdAt, actor: 'Alice Martin', reason: null },
      { from: 'draft', to: 'in_review', at: new Date(createdAt.getTime() + 5_400_000), actor: 'Alice Martin', reason: 'Ready for review' },
      { from: 'in_review', to: 'approved', at: new Date(createdAt.getTime() + 86_400_000), actor: LATIN_EXTENDED_NAME, reason: null },
      { from: 'approved', to: 'closed', at: new Date(createdAt.getTime() + 2 * 86_400_000), actor: '张伟', reason: 'Effectiveness check passed' },
    ],
    signatures: chosen.map((who, i) => signature(rng, record, new Date(createdAt.getTime() + 86_400_000 + i * 2_220_000), who)),
    audit,
    links: options.links.map((other, i) => ({ relation: i === 0 ? 'implements' : 'references', number: other, title: rng.pick(SENTENCES).slice(0, 48) })),
  };
}

/** A closed change control with 3 signatures (one Latin-extended name, one Chinese comment) and `auditEvents` events. */
export function recordInput(auditEvents: number): RecordPdfInput {
  const section = recordSection({ index: 0, auditEvents, signatures: 3, size: 'full', seed: 'record', links: ['CAPA-2026-0042', 'DEV-2026-0107'] });
  return { organisation: ORGANISATION, generatedAt: GENERATED_AT, timeZone: TIME_ZONE, ...section };
}

/** The shape of each record of a `records`-record dossier and the dossier's fields (a seeded generator). */
function dossierShape(records: number, auditEvents: number) {
  const rng = new Random('dossier');
  const options = Array.from({ length: records }, (_, i) => ({
    index: i,
    auditEvents: Math.max(1, auditEvents + rng.int(-2, 2)),
    signatures: 1 + (i % 2),
    size: 'short' as const,
    seed: 'dossier',
    links: i > 0 && i % 3 === 0 ? [`CC-2026-${String(i).padStart(4, '0')}`] : [],
  }));
  const fields = {
    organisation: ORGANISATION,
    generatedAt: GENERATED_AT,
    timeZone: TIME_ZONE,
    dossierId: rng.uuid(),
    title: 'Annual product review 2026 — filling line 3',
    requestedBy: 'Ana Lúcia Gonçalves',
    selectionDescription: 'All records created from 2026-01-01 to 2026-06-30',
  };
  return { options, fields };
}

/** `records` records of four types, each with about `auditEvents` (±2) events and 1–2 signatures, all in memory. */
export function dossierInput(records: number, auditEvents: number): DossierPdfInput & { records: RecordSectionInput[] } {
  const { options, fields } = dossierShape(records, auditEvents);
  return { ...fields, records: options.map(recordSection) };
}

/**
 * The same dossier with its records made one at a time, as the render worker reads them from the
 * database: the summaries up front (each record's row and content, as loadRecordSummary reads them;
 * not its audit trail and signatures), each whole record when it is drawn.
 */
export function dossierSource(records: number, auditEvents: number): DossierPdfInput {
  const { options, fields } = dossierShape(records, auditEvents);
  return { ...fields, records: { summaries: options.map((o) => ({ record: recordHead(o).record })), load: (i) => recordSection(options[i]!) } };
}

/** The data-bearing strings a record section prints (header, content, history, signatures, audit rows, links). */
export function printedStrings(section: RecordSectionInput, timeZone: string): string[] {
  const time = timeFormatter(timeZone);
  const { record } = section;
  return [
    `${record.number} — ${record.title} · ${record.type} · ${record.status} · version ${record.version} · created ${time.full(record.createdAt)} by ${record.createdBy}`,
    `Content hash (SHA-256): ${record.contentHash}`,
    ...contentRows(section.content).map((row) => `${row.key}: ${row.value}`),
    ...section.history.map((h) => `${h.from ?? '—'} → ${h.to} · ${time.short(h.at)} · ${h.actor} · ${h.reason ?? '—'}`),
    ...section.signatures.flatMap((s) => [
      manifestation(s, time),
      `Step: ${s.step} · Record version: ${s.recordVersion} · Certificate serial: ${s.certificateSerial ?? 'none'} · Signed content hash (SHA-256): ${s.contentHash} · Signature ID: ${s.id}`,
    ]),
    ...section.audit.map(
      (e) =>
        `${e.seq} ${time.short(e.occurredAt)} ${e.actor} ${e.action} ${auditChangeLines(e.oldValue, e.newValue, labellerFor(section)).join(' ')} ${e.reason ?? '—'}`,
    ),
    ...section.links.map((l) => `${l.relation} ${l.number} ${l.title}`),
  ];
}

export const BASELINE_FONT = path.join(__dirname, '..', 'templates', 'fonts', 'NotoSans-Regular.ttf');

export interface PlainPdf {
  pdf: Buffer;
  pages: number;
  chars: number;
}

/**
 * The baseline writer: pdfkit on A4 with the templates' margins, one embedded TrueType font (Noto
 * Sans regular, subset by pdfkit), each string a `doc.text` paragraph in the default flow. Without
 * `pages`, writes every string once; with it, cycles through the strings until that page is reached.
 */
export function plainTextPdf(strings: string[], options: { pages?: number } = {}): Promise<PlainPdf> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      margins: { top: 54, bottom: 66, left: 48, right: 48 },
      font: BASELINE_FONT,
      info: { CreationDate: GENERATED_AT },
    });
    const chunks: Buffer[] = [];
    let pages = 1;
    let chars = 0;
    doc.on('pageAdded', () => (pages += 1));
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve({ pdf: Buffer.concat(chunks), pages, chars }));
    doc.on('error', reject);
    doc.fontSize(8);
    const target = options.pages;
    for (let i = 0; target === undefined ? i < strings.length : pages < target; i++) {
      const s = strings[i % strings.length]!;
      doc.text(s);
      chars += s.length;
    }
    doc.end();
  });
}

/** Pages of a PDF by its page objects (`/Type /Page`, not `/Pages`); pdfkit writes no object streams. */
export function countPageObjects(pdf: Buffer): number {
  return pdf.toString('latin1').match(/\/Type \/Page(?![a-zA-Z])/g)?.length ?? 0;
}
