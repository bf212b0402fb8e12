// Text known only after its page is written ("Page n of N", the contents' page numbers, the
// cover's counts): the page invokes a form XObject (ISO 32000-1 §8.10) whose object number is
// reserved when the page is drawn, and the form's stream is written once the text is known. Pages
// are then written and released as soon as they are left, instead of being kept to the end.

/** What of pdfkit's document the forms need (its object numbering and the page being drawn). */
interface DocumentInternals {
  page: { xobjects: Record<string, unknown> };
  ref(data?: unknown): Reference;
  addContent(data: string): unknown;
}

interface Reference {
  id: number;
  end(): void;
  write(chunk: string): void;
}

type ReferenceClass = new (document: unknown, id: number, data: unknown) => Reference;

/** The page stand-in the drawing functions write to while a form is drawn (see text.ts). */
interface FormPage {
  width: number;
  height: number;
  fonts: Record<string, unknown>;
  xobjects: Record<string, unknown>;
  ext_gstates: Record<string, unknown>;
  markings: unknown[];
  write(chunk: string): void;
}

export class LateForms {
  /** Object numbers of forms placed and not yet written: the document cannot end before they are. */
  private readonly open = new Set<number>();
  private referenceClass: ReferenceClass | undefined;

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly page: { width: number; height: number },
  ) {}

  /**
   * Invokes a new form here, on the page being drawn, and returns its object number for write().
   * Only the number is kept: pdfkit writes the page's resources (`/L<n> <n> 0 R`) with the page.
   */
  place(): number {
    const doc = this.doc as unknown as DocumentInternals;
    const ref = doc.ref();
    this.referenceClass ??= ref.constructor as ReferenceClass;
    doc.page.xobjects[`L${ref.id}`] = ref;
    doc.addContent(`/L${ref.id} Do`);
    this.open.add(ref.id);
    return ref.id;
  }

  /**
   * Writes form `id`: what `draw` draws, in the coordinates of the page that invokes it (the form's
   * matrix is the identity and its box the whole page).
   */
  write(id: number, draw: () => void): void {
    if (!this.open.delete(id)) throw new Error(`No open late form ${id}`);
    const doc = this.doc as unknown as DocumentInternals & { page: unknown };
    const resources = { ProcSet: ['PDF', 'Text'], Font: {} as Record<string, unknown> };
    // The number was reserved by place() (pdfkit counts it as still to be written): the form is
    // made under that number now, and ending it writes it and settles pdfkit's count.
    const form = new this.referenceClass!(this.doc, id, {
      Type: 'XObject',
      Subtype: 'Form',
      FormType: 1,
      BBox: [0, 0, this.page.width, this.page.height],
      Resources: resources,
    });
    const stand: FormPage = {
      width: this.page.width,
      height: this.page.height,
      fonts: resources.Font,
      xobjects: {},
      ext_gstates: {},
      markings: [],
      write: (chunk) => form.write(chunk),
    };
    const page = doc.page;
    doc.page = stand as unknown as DocumentInternals['page'];
    try {
      draw();
    } finally {
      doc.page = page as DocumentInternals['page'];
    }
    if (Object.keys(stand.xobjects).length > 0 || Object.keys(stand.ext_gstates).length > 0) {
      throw new Error('A late form may only draw text and paths');
    }
    form.end();
  }

  /** Forms placed and never written (the document would never end): an error names them. */
  assertAllWritten(): void {
    if (this.open.size > 0) throw new Error(`${this.open.size} late form(s) were placed and never written: ${[...this.open].slice(0, 5).join(', ')}`);
  }
}
