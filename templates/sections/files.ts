import { STYLE, sha256, type Attachment } from '../layout';
import { Table } from '../table';
import type { SectionContext } from './context';

/** The embedded files with their size and SHA-256, as listed in manifest.json. */
export function renderEmbeddedFiles(ctx: SectionContext, files: Attachment[], bookmark: PDFKit.PDFOutline, level: 1 | 2 = 2): void {
  const { flow, parent } = ctx;
  flow.heading(parent, `Embedded files (${files.length + 1})`, level, { bookmark });
  flow.paragraph(
    parent,
    'These files are attached to this PDF (PDF/A-3 associated files). manifest.json, also attached, lists each with its SHA-256; the record JSON is the RFC 8785 canonical form its content hash is computed over.',
    STYLE.small,
  );
  const table = new Table(flow, parent, [
    { header: 'File, SHA-256', width: flow.width - 120, style: STYLE.mono },
    { header: 'Media type', width: 70 },
    { header: 'Bytes', width: 50, align: 'right' },
  ]).start();
  for (const file of files) table.row([`${file.name}\n${sha256(file.data)}`, file.type.replace(/^application\//, ''), String(file.data.length)]);
  table.row(['manifest.json\n(lists the files above with their SHA-256)', 'json', '—']);
  table.end();
}
