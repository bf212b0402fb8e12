// Auditor dossier (21 CFR 11.10(b), EU Annex 11 §8): a selection of records in one PDF/A-3b file,
// each reproduced as in its controlled record PDF, with a cover, contents with the page each record
// starts on, a signature index, a manifest of embedded record hashes, and the records' canonical
// JSON and signatures embedded with a manifest.json of SHA-256 hashes.
import { timeFormatter } from './format';
import { Flow, Tags, createDocument, manifestAttachment, toBuffer, writeFooters, type Attachment } from './layout';
import type { SectionContext } from './sections/context';
import { renderCover } from './sections/cover';
import { renderRecordManifest, renderSignatureIndex, type IndexedSignature } from './sections/dossier-index';
import { checkpointAttachments, embedAll, recordAttachments, renderRecord } from './sections/record';
import { renderToc } from './sections/toc';
import type { DossierPdfInput } from './types';

export type { DossierPdfInput } from './types';

/** Lets timers and I/O run between records, so a long render does not starve the event loop. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Renders a dossier; `onProgress(done, total)` is called after each record is laid out. */
export async function renderDossierPdf(input: DossierPdfInput, onProgress?: (done: number, total: number) => void): Promise<Buffer> {
  const time = timeFormatter(input.timeZone);
  const total = input.records.length;
  const doc = createDocument({
    title: `Dossier: ${input.title}`,
    author: input.organisation,
    subject: `Auditor dossier ${input.dossierId}: ${total} record${total === 1 ? '' : 's'} (${input.selectionDescription})`,
    keywords: `dossier, ${input.dossierId}, ${input.records.map((r) => r.record.number).join(', ')}`,
    generatedAt: input.generatedAt,
  });
  const tags = new Tags(doc);
  const flow = new Flow(doc, tags);
  const section = () => tags.element(tags.root, 'Sect');
  const context = (parent: PDFKit.PDFStructureElement): SectionContext => ({ flow, time, parent, outline: doc.outline });

  flow.newPage();
  const cover = section();
  renderCover(context(cover), input);
  cover.end();

  flow.newPage();
  flow.runningHead = `${input.title} · Contents (continued)`;
  const tocSection = section();
  const toc = renderToc(context(tocSection), input.records);

  const signatures: IndexedSignature[] = [];
  const recordPages: number[] = [];
  for (const [i, record] of input.records.entries()) {
    flow.runningHead = null;
    flow.newPage();
    flow.runningHead = `${input.title} · ${record.record.number} v${record.record.version} (continued)`;
    const parent = section();
    const rendered = renderRecord(context(parent), record, input.organisation);
    parent.end();
    recordPages.push(rendered.firstPage);
    for (const s of record.signatures) {
      signatures.push({
        printedName: s.printedName,
        meaning: s.meaning,
        signedAt: s.signedAt,
        recordNumber: record.record.number,
        page: rendered.signaturePages.get(s.id) ?? rendered.firstPage,
      });
    }
    onProgress?.(i + 1, total);
    await yieldToEventLoop();
  }

  const files: Attachment[] = [...input.records.flatMap(recordAttachments), ...checkpointAttachments(input.auditCheckpoint)];
  const unique = [...new Map(files.map((f) => [f.name, f])).values()];
  flow.runningHead = null;
  flow.newPage();
  flow.runningHead = `${input.title} · Signature index and manifest (continued)`;
  const indexSection = section();
  const signatureIndexPage = renderSignatureIndex(context(indexSection), signatures);
  const manifestPage = renderRecordManifest(context(indexSection), input.records, unique.length + 1);
  indexSection.end();

  toc.records.forEach((cell, i) => cell.fill(String(recordPages[i]! + 1)));
  toc.signatureIndex.fill(String(signatureIndexPage + 1));
  toc.manifest.fill(String(manifestPage + 1));
  tocSection.end();

  embedAll(doc, [...files, manifestAttachment(unique, { dossier: input.dossierId, generatedAt: input.generatedAt.toISOString() })], input.generatedAt);
  writeFooters(doc, tags, `Dossier ${input.dossierId} · ${input.organisation} · Generated ${time.full(input.generatedAt)}`);
  return toBuffer(doc);
}
