import fs from 'node:fs';
import { Flow, STYLE, Tags, createDocument, toBuffer } from './layout';
import { pdfinfo, pdftotext, requirePoppler, tempDir, writePdf } from './spec-helpers';
import { drawLine, wrapText } from './text';

const meta = { title: 'Late forms', author: 'Acme', subject: 'test', keywords: 'test', generatedAt: new Date(Date.UTC(2025, 0, 1)) };

function threePages(): { flow: Flow; tags: Tags; doc: PDFKit.PDFDocument } {
  const doc = createDocument(meta);
  const tags = new Tags(doc);
  const flow = new Flow(doc, tags, 'Footer left');
  return { flow, tags, doc };
}

describe('late forms', () => {
  test('text written into a form after its page was left shows on that page, and every footer names its page', async () => {
    requirePoppler();
    const { flow, tags, doc } = threePages();
    const sect = tags.element(tags.root, 'Sect');
    const forms: number[] = [];
    for (let p = 0; p < 3; p++) {
      flow.newPage();
      flow.paragraph(sect, `Body of page ${p + 1}`, STYLE.body);
      tags.mark(tags.element(sect, 'P'), 'P', () => forms.push(flow.late.place()));
    }
    sect.end();
    // Written after all three pages were left, in reverse order.
    [...forms].reverse().forEach((form) => {
      const p = forms.indexOf(form) + 1;
      flow.late.write(form, () => drawLine(doc, wrapText(doc, `Late text for page ${p}`, STYLE.body, 200)[0]!, 100, 300, STYLE.body));
    });
    expect(flow.close()).toBe(3);
    const dir = tempDir('late-forms');
    try {
      const file = writePdf(dir, 'late.pdf', await toBuffer(doc));
      expect(Number(pdfinfo(file).Pages)).toBe(3);
      for (let p = 1; p <= 3; p++) {
        const text = pdftotext(file, { first: p, last: p });
        expect(text).toContain(`Body of page ${p}`);
        expect([...text.matchAll(/Late text for page (\d)/g)].map((m) => Number(m[1]))).toEqual([p]);
        expect([...text.matchAll(/Page (\d+) of (\d+)/g)].map((m) => `${m[1]} of ${m[2]}`)).toEqual([`${p} of 3`]);
        expect(text).toContain('Footer left');
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a form placed and never written stops the document with a reason (it could never be finished)', () => {
    const { flow, tags } = threePages();
    flow.newPage();
    tags.mark(tags.element(tags.root, 'P'), 'P', () => flow.late.place());
    expect(() => flow.close()).toThrow(/1 late form\(s\) were placed and never written/);
  });

  test('a form is written once', () => {
    const { flow, tags } = threePages();
    flow.newPage();
    let form = 0;
    tags.mark(tags.element(tags.root, 'P'), 'P', () => (form = flow.late.place()));
    flow.late.write(form, () => undefined);
    expect(() => flow.late.write(form, () => undefined)).toThrow(/No open late form/);
  });
});
