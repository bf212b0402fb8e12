import { embed, sha256, type Attachment } from '../layout';
import type { AuditCheckpointInput, RecordSectionInput } from '../types';
import { renderAudit } from './audit';
import { renderContent } from './content';
import type { SectionContext } from './context';
import { renderHeader } from './header';
import { renderHistory } from './history';
import { renderLinks } from './links';
import { renderSignatures } from './signatures';

export interface RenderedRecord {
  /** Zero-based index of the page the record's heading is on. */
  firstPage: number;
  /** Zero-based page index of each signature's manifestation, by signature id. */
  signaturePages: Map<string, number>;
}

/** One record, as in its own PDF: header, content, state history, signatures, audit trail, links. */
export function renderRecord(ctx: SectionContext, input: RecordSectionInput, organisation: string): RenderedRecord {
  const firstPage = ctx.flow.page;
  const bookmark = renderHeader(ctx, input, organisation);
  renderContent(ctx, input, bookmark);
  renderHistory(ctx, input, bookmark);
  const signaturePages = renderSignatures(ctx, input, bookmark);
  renderAudit(ctx, input, bookmark);
  renderLinks(ctx, input, bookmark);
  return { firstPage, signaturePages };
}

/** `record-<number>-v<version>.json`: the canonical JSON the content hash is computed over. */
export const recordJsonName = (input: RecordSectionInput): string => `record-${input.record.number}-v${input.record.version}.json`;

/** The files a record embeds: its canonical JSON, and each signature's CMS and manifest. */
export function recordAttachments(input: RecordSectionInput): Attachment[] {
  const files: Attachment[] = [
    {
      name: recordJsonName(input),
      data: Buffer.from(input.canonicalJson, 'utf8'),
      type: 'application/json',
      relationship: 'Source',
      description: `Record ${input.record.number} version ${input.record.version}: content as RFC 8785 canonical JSON (SHA-256 ${input.record.contentHash})`,
    },
  ];
  for (const s of input.signatures) {
    if (s.cmsBase64) {
      files.push({
        name: `signature-${s.id}.p7s`,
        data: decodeBase64(s.cmsBase64, `signature ${s.id}`),
        type: 'application/pkcs7-signature',
        relationship: 'Supplement',
        description: `Detached CMS signature of ${s.printedName} (${s.meaning}) over signature-${s.id}.json`,
      });
    }
    if (s.manifestJson) {
      files.push({
        name: `signature-${s.id}.json`,
        data: Buffer.from(s.manifestJson, 'utf8'),
        type: 'application/json',
        relationship: 'Supplement',
        description: `Signature manifest of ${s.printedName} (${s.meaning}) on ${input.record.number} version ${s.recordVersion}`,
      });
    }
  }
  return files;
}

/** `audit-checkpoint.json`: the signed checkpoint of the audit chain's head at the render, if given. */
export function checkpointAttachments(checkpoint: AuditCheckpointInput | undefined): Attachment[] {
  if (!checkpoint) return [];
  return [
    {
      name: 'audit-checkpoint.json',
      data: Buffer.from(checkpoint.json, 'utf8'),
      type: 'application/json',
      relationship: 'Supplement',
      description: `Audit trail checkpoint sealed by the organisation: the chain reached event ${checkpoint.seq} (hash ${checkpoint.hash})`,
    },
  ];
}

function decodeBase64(text: string, what: string): Buffer {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) throw new Error(`The CMS of ${what} is not base64`);
  return Buffer.from(compact, 'base64');
}

/** Embeds files, refusing two different files under one name. */
export function embedAll(doc: PDFKit.PDFDocument, files: Attachment[], at: Date): void {
  const seen = new Map<string, string>();
  for (const file of files) {
    const hash = sha256(file.data);
    const earlier = seen.get(file.name);
    if (earlier !== undefined && earlier !== hash) throw new Error(`Two different embedded files are named ${file.name}`);
    if (earlier === undefined) embed(doc, file, at);
    seen.set(file.name, hash);
  }
}
