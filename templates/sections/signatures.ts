import type { TimeFormatter } from '../format';
import { labellerFor } from '../labels';
import { STYLE } from '../layout';
import { lineHeight, wrapText } from '../text';
import type { RecordSectionInput, RecordSignatureEntry } from '../types';
import type { SectionContext } from './context';

/** The signature manifestation (21 CFR 11.50): "printed name — meaning — date and time with zone — comment". */
export function manifestation(signature: RecordSignatureEntry, time: TimeFormatter): string {
  const parts = [signature.printedName, signature.meaning, time.full(signature.signedAt)];
  if (signature.comment !== null && signature.comment.trim() !== '') parts.push(signature.comment);
  return parts.join(' — ');
}

function details(signature: RecordSignatureEntry, input: RecordSectionInput): string[] {
  const { record } = input;
  const label = labellerFor(input);
  const binding =
    signature.recordVersion !== record.version
      ? ` (signed version ${signature.recordVersion}; this document shows version ${record.version})`
      : signature.contentHash !== record.contentHash
        ? ' (WARNING: differs from the content hash of this version)'
        : '';
  const invalidated = signature.invalidated
    ? [`No longer counts toward its step: amended in version ${signature.invalidated.byVersion} (${signature.invalidated.reason})`]
    : [];
  return [
    ...invalidated,
    `Step: ${label.status(signature.step)} · Record version: ${signature.recordVersion} · Certificate serial: ${signature.certificateSerial ?? 'none'}`,
    `Signed content hash (SHA-256): ${signature.contentHash}${binding}`,
    `Signature ID: ${signature.id} · CMS: ${signature.cmsBase64 ? `signature-${signature.id}.p7s` : 'none'} · Manifest: ${signature.manifestJson ? `signature-${signature.id}.json` : 'none'}`,
  ];
}

/** Every signature's manifestation and binding facts; returns the page index each was printed on. */
export function renderSignatures(ctx: SectionContext, input: RecordSectionInput, bookmark: PDFKit.PDFOutline): Map<string, number> {
  const { flow, parent, time } = ctx;
  const pages = new Map<string, number>();
  flow.heading(parent, `Electronic signatures (${input.signatures.length})`, 2, { bookmark });
  if (input.signatures.length === 0) {
    flow.paragraph(parent, 'The record carries no electronic signatures.', STYLE.body);
    return pages;
  }
  input.signatures.forEach((signature, i) => {
    const main = manifestation(signature, time);
    const facts = details(signature, input);
    const height =
      lineHeight(STYLE.small.size) +
      wrapText(flow.doc, main, STYLE.body, flow.width - 14).length * lineHeight(STYLE.body.size) +
      facts.reduce((sum, f) => sum + wrapText(flow.doc, f, STYLE.small, flow.width - 14).length * lineHeight(STYLE.small.size), 0) +
      8;
    flow.ensure(Math.min(height, flow.capacity));
    pages.set(signature.id, flow.page);
    const div = flow.tags.element(parent, 'Div');
    flow.paragraph(div, `Signature ${i + 1} of ${input.signatures.length}`, STYLE.small, { after: 0 });
    flow.paragraph(div, main, { ...STYLE.body, role: 'bold' }, { indent: 14, after: 1 });
    for (const fact of facts) flow.paragraph(div, fact, STYLE.small, { indent: 14, after: 0 });
    div.end();
    flow.y += 7;
  });
  return pages;
}
