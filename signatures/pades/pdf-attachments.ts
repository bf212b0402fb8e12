import { PdfFile } from './pdf-file';
import { PdfRef, PdfStream, pdfText, type PdfDict, type PdfValue } from './pdf-objects';

export interface PdfAttachment {
  /** The file specification's /UF (else /F, else its key in the EmbeddedFiles name tree). */
  name: string;
  /** The embedded file's decoded bytes. */
  data: Buffer;
}

interface FileSpecEntry {
  key?: string;
  value: PdfValue;
}

const MAX_TREE_DEPTH = 32;

/** Collects the [key value] pairs of a name tree (§7.9.6), following /Kids. */
function walkNameTree(file: PdfFile, node: PdfDict | undefined, out: FileSpecEntry[], depth: number, visited: Set<number>): void {
  if (!node || depth > MAX_TREE_DEPTH) return;
  const names = file.array(node.get('Names'));
  for (let i = 0; i + 1 < names.length; i += 2) out.push({ key: pdfText(file.resolve(names[i])), value: names[i + 1]! });
  for (const kid of file.array(node.get('Kids'))) {
    if (kid instanceof PdfRef) {
      if (visited.has(kid.num)) continue;
      visited.add(kid.num);
    }
    walkNameTree(file, file.dict(kid), out, depth + 1, visited);
  }
}

/**
 * The embedded files of a PDF: those named in the catalog's /Names /EmbeddedFiles tree, then any
 * further ones in the catalog's /AF array (associated files, as pdfkit writes for `doc.file`), each
 * file specification once, in that order. Reads the /EF /F (else /UF) stream and inflates it.
 * Throws when the PDF cannot be parsed or an embedded file uses an unsupported filter; attachments of
 * page annotations (FileAttachment) are not listed.
 */
export function listPdfAttachments(pdf: Buffer): PdfAttachment[] {
  const file = new PdfFile(pdf);
  const catalog = file.dict(file.trailer.get('Root'));
  if (!catalog) throw new Error('the PDF has no document catalog');
  const entries: FileSpecEntry[] = [];
  walkNameTree(file, file.dict(file.dict(catalog.get('Names'))?.get('EmbeddedFiles')), entries, 0, new Set());
  for (const value of file.array(catalog.get('AF'))) entries.push({ value });

  const seen = new Set<number>();
  const attachments: PdfAttachment[] = [];
  for (const { key, value } of entries) {
    if (value instanceof PdfRef) {
      if (seen.has(value.num)) continue;
      seen.add(value.num);
    }
    const spec = file.dict(value);
    const ef = file.dict(spec?.get('EF'));
    const stream = file.resolve(ef?.get('F') ?? ef?.get('UF'));
    if (!spec || !(stream instanceof PdfStream)) continue;
    const name = pdfText(file.resolve(spec.get('UF'))) ?? pdfText(file.resolve(spec.get('F'))) ?? key ?? '';
    attachments.push({ name, data: file.streamBytes(stream) });
  }
  return attachments;
}
