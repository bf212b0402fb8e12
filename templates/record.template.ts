// Controlled record PDF (21 CFR 11.10(b), 11.50; EU Annex 11 §8): a human-readable, PDF/A-3b copy
// of one record version with its signatures and complete audit trail, and, as associated files,
// the canonical JSON the signatures bind and each signer's CMS and manifest.
import { timeFormatter } from './format';
import { Flow, Tags, createDocument, manifestAttachment, toBuffer } from './layout';
import type { SectionContext } from './sections/context';
import { renderEmbeddedFiles } from './sections/files';
import { checkpointAttachments, embedAll, recordAttachments, recordJsonName, renderRecord } from './sections/record';
import type { RecordPdfInput } from './types';

export type {
  AuditCheckpointInput,
  RecordPdfInput,
  RecordSectionInput,
  RecordAuditEntry,
  RecordHistoryEntry,
  RecordLinkEntry,
  RecordSignatureEntry,
} from './types';
export { recordJsonName };

/** Renders a record version as a PDF/A-3b document; pure: same input, same bytes. */
export async function renderRecordPdf(input: RecordPdfInput): Promise<Buffer> {
  const time = timeFormatter(input.timeZone);
  const { record } = input;
  const generated = time.full(input.generatedAt);
  const doc = createDocument({
    title: `${record.number} — ${record.title || '(untitled)'}`,
    author: input.organisation,
    subject: `Controlled record ${record.number}, version ${record.version}, status ${record.status}`,
    keywords: `${record.type}, ${record.number}, v${record.version}, sha256:${record.contentHash}`,
    generatedAt: input.generatedAt,
  });
  const tags = new Tags(doc);
  const flow = new Flow(doc, tags, `Record ${record.number} v${record.version} · ${input.organisation} · Generated ${generated}`);
  flow.newPage();
  flow.runningHead = `${input.organisation} · ${record.number} v${record.version} (continued)`;
  const parent = tags.element(tags.root, 'Sect');
  const ctx: SectionContext = { flow, time, parent, outline: doc.outline };
  renderRecord(ctx, input, input.organisation);
  const files = [...recordAttachments(input), ...checkpointAttachments(input.auditCheckpoint)];
  renderEmbeddedFiles(ctx, files, doc.outline);
  parent.end();
  embedAll(
    doc,
    [...files, manifestAttachment(files, { record: record.number, version: String(record.version), generatedAt: input.generatedAt.toISOString() })],
    input.generatedAt,
  );
  flow.close();
  return toBuffer(doc);
}
