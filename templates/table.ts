// Tables that paginate: the header row repeats on every page a table runs onto, a row that does not
// fit moves to the next page, and a row taller than a page (a long comment, a large JSON value) is
// split line by line. Cells may be left empty and filled in later ("deferred"), for page numbers
// known only after the rest of the document is laid out: such a cell shows a late form
// (late-forms.ts), written when the cell is filled, so its page need not be kept.
import { STYLE, type Flow } from './layout';
import { drawLine, lineHeight, wrapText, type Line, type TextStyle } from './text';
import { renderYield } from './render-yield';

export interface Column {
  header: string;
  width: number;
  style?: TextStyle;
  align?: 'left' | 'right';
}

const PAD_X = 3;
const PAD_Y = 2.5;
/** Rows taller than this (points) may be split across pages rather than moved whole. */
const SPLIT_ABOVE = 140;

/** A cell whose text is written later, into the late form its row placed on its page. */
export interface DeferredCell {
  page: number;
  fill(text: string): void;
}

export class Table {
  private readonly el: PDFKit.PDFStructureElement;
  private readonly xs: number[];
  /** Rows begun on the current page since its header: a header is never left alone at a page foot. */
  private rowsOnPage = 0;

  constructor(
    private readonly flow: Flow,
    parent: PDFKit.PDFStructureElement,
    private readonly columns: Column[],
    private readonly options: { header?: boolean; rules?: boolean } = {},
  ) {
    this.el = flow.tags.element(parent, 'Table');
    let x = flow.left;
    this.xs = columns.map((c) => {
      const at = x;
      x += c.width;
      return at;
    });
    const total = columns.reduce((sum, c) => sum + c.width, 0);
    if (total > flow.width + 0.5) throw new Error(`Table columns (${total}pt) are wider than the page (${flow.width}pt)`);
  }

  private get withHeader(): boolean {
    return this.options.header !== false;
  }

  private styleOf(i: number): TextStyle {
    return this.columns[i]?.style ?? STYLE.cell;
  }

  private headerHeight(): number {
    if (!this.withHeader) return 0;
    const rows = Math.max(...this.columns.map((c) => wrapText(this.flow.doc, c.header, STYLE.cellBold, c.width - 2 * PAD_X).length));
    return rows * lineHeight(STYLE.cellBold.size) + 2 * PAD_Y;
  }

  /** Draws the header row (at the top of the table and of each page it continues on). */
  private drawHeader(): void {
    if (!this.withHeader) return;
    const { flow } = this;
    const height = this.headerHeight();
    const y = flow.y;
    flow.tags.artifact(() => {
      flow.doc
        .rect(flow.left, y, this.xs[this.xs.length - 1]! + this.columns[this.columns.length - 1]!.width - flow.left, height)
        .fillColor('#e8e8e8')
        .fill();
    });
    this.rowsOnPage += 1;
    const tr = flow.tags.element(this.el, 'TR');
    this.columns.forEach((c, i) => {
      const th = flow.tags.element(tr, 'TH');
      const lines = wrapText(flow.doc, c.header, STYLE.cellBold, c.width - 2 * PAD_X);
      flow.tags.mark(th, 'TH', () => {
        lines.forEach((line, n) =>
          drawLine(flow.doc, line, this.xs[i]! + PAD_X, y + PAD_Y + n * lineHeight(STYLE.cellBold.size), STYLE.cellBold, c.width - 2 * PAD_X, c.align),
        );
      });
    });
    tr.end();
    flow.y = y + height;
  }

  /** Starts the table, keeping its header with at least one line of the first row. */
  start(): this {
    this.flow.ensure(this.headerHeight() + lineHeight(STYLE.cell.size) + 2 * PAD_Y);
    this.drawHeader();
    this.rowsOnPage = 0;
    return this;
  }

  private continueOnNewPage(): void {
    this.flow.newPage();
    this.drawHeader();
    this.rowsOnPage = 0;
  }

  /**
   * Adds a row. `null` cells are deferred: the returned handles write their text later. `indent`
   * shifts the first cell's text to the right (nested content).
   */
  row(cells: (string | null)[], options: { indent?: number; shade?: boolean } = {}): DeferredCell[] {
    renderYield();
    const { flow } = this;
    const indent = options.indent ?? 0;
    const wrapped: Line[][] = cells.map((text, i) => {
      const inner = this.columns[i]!.width - 2 * PAD_X - (i === 0 ? indent : 0);
      return text === null ? [] : wrapText(flow.doc, text, this.styleOf(i), Math.max(inner, 20));
    });
    const heightOf = (i: number, lines: number) => lines * lineHeight(this.styleOf(i).size);
    const rowHeight = Math.max(lineHeight(STYLE.cell.size), ...wrapped.map((lines, i) => heightOf(i, lines.length))) + 2 * PAD_Y;
    // A row that does not fit moves to the next page whole when it is short or little room is
    // left; a tall one starts here and is split, so that a long text does not leave a blank page.
    const room = flow.bottom - flow.y;
    if (!flow.fits(rowHeight)) {
      const fitsOnePage = rowHeight <= flow.capacity - this.headerHeight();
      const moveWhole = fitsOnePage && (rowHeight <= SPLIT_ABOVE || room < SPLIT_ABOVE) && this.rowsOnPage > 0;
      if (moveWhole || !flow.fits(lineHeight(STYLE.cell.size) + 2 * PAD_Y)) this.continueOnNewPage();
    }

    const tr = flow.tags.element(this.el, 'TR');
    const tds = cells.map(() => flow.tags.element(tr, 'TD'));
    const firstPage = flow.page;
    const firstY = flow.y;
    const next = wrapped.map(() => 0);
    const deferred: DeferredCell[] = [];
    let placed = false;
    for (;;) {
      const top = flow.y;
      const room = flow.bottom - top - 2 * PAD_Y;
      if (options.shade) {
        const h = Math.min(rowHeight, flow.bottom - top);
        flow.tags.artifact(() => flow.doc.rect(flow.left, top, flow.width, h).fillColor('#f4f4f4').fill());
      }
      if (!placed) {
        // The deferred cells' forms go on the row's first page, where their text will show.
        cells.forEach((text, i) => {
          if (text === null) deferred.push(this.deferredCell(tds[i]!, i, firstPage, firstY));
        });
        placed = true;
      }
      let used = 0;
      wrapped.forEach((lines, i) => {
        const step = lineHeight(this.styleOf(i).size);
        const count = Math.min(lines.length - next[i]!, Math.floor((room + 0.01) / step));
        if (count <= 0) return;
        const x = this.xs[i]! + PAD_X + (i === 0 ? indent : 0);
        const width = this.columns[i]!.width - 2 * PAD_X - (i === 0 ? indent : 0);
        flow.tags.mark(tds[i]!, 'TD', () => {
          for (let n = 0; n < count; n++) drawLine(flow.doc, lines[next[i]! + n]!, x, top + PAD_Y + n * step, this.styleOf(i), width, this.columns[i]!.align);
        });
        next[i]! += count;
        used = Math.max(used, count * step);
      });
      flow.y = top + Math.max(used, lineHeight(STYLE.cell.size)) + 2 * PAD_Y;
      if (wrapped.every((lines, i) => next[i]! >= lines.length)) break;
      this.continueOnNewPage();
    }
    if (this.options.rules !== false) this.ruleBelow();
    tds.forEach((td) => td.end());
    tr.end();
    return deferred;
  }

  /** Places column `i`'s late form in its cell (one marked sequence of `td`) on the current page. */
  private deferredCell(td: PDFKit.PDFStructureElement, i: number, page: number, top: number): DeferredCell {
    const { flow } = this;
    const column = this.columns[i]!;
    const style = this.styleOf(i);
    let form = 0;
    flow.tags.mark(td, 'TD', () => (form = flow.late.place()));
    return {
      page,
      fill: (value: string) => {
        const width = column.width - 2 * PAD_X;
        flow.late.write(form, () => {
          const line = wrapText(flow.doc, value, style, width)[0];
          if (line) drawLine(flow.doc, line, this.xs[i]! + PAD_X, top + PAD_Y, style, width, column.align);
        });
      },
    };
  }

  private ruleBelow(): void {
    const { flow } = this;
    const y = flow.y;
    flow.tags.artifact(() => {
      flow.doc
        .moveTo(flow.left, y)
        .lineTo(this.xs[this.xs.length - 1]! + this.columns[this.columns.length - 1]!.width, y)
        .lineWidth(0.3)
        .strokeColor('#c8c8c8')
        .stroke();
    });
  }

  end(): void {
    this.el.end();
    this.flow.y += 6;
  }
}
