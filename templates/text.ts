// Line breaking and drawing of multi-font text. The templates break lines themselves (instead of
// pdfkit's wrapper) so that a row's height is known before it is drawn: pagination is then decided
// by the templates, and pdfkit never adds a page on its own.
import { advanceWidth, fontRuns, useFont, type FontName, type FontRole } from './fonts';

export interface TextStyle {
  role: FontRole;
  size: number;
  color?: string;
}

export interface LineRun {
  font: FontName;
  text: string;
  width: number;
}

export interface Line {
  runs: LineRun[];
  width: number;
}

/** Distance between baselines. */
export const lineHeight = (size: number): number => size * 1.32;
/** From the top of a line box to its baseline (Noto Sans ascender ≈ 1.07 em). */
const baselineOffset = (size: number): number => size * 1.04;

/** Width in points of text in one font at the given size. */
export function measure(font: FontName, text: string, size: number): number {
  return (advanceWidth(font, text) * size) / 1000;
}

const CJK = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}\\u3000-\\u303f\\uff00-\\uffef';
/** Spaces, single CJK characters (a line may break between any two), other words. */
const ATOM = new RegExp(`\\s+|[${CJK}]|[^\\s${CJK}]+`, 'gu');

interface Atom {
  runs: LineRun[];
  width: number;
  space: boolean;
}

function toAtom(doc: PDFKit.PDFDocument, text: string, style: TextStyle): Atom {
  const cache = atomCache(style);
  let atom = cache.get(text);
  if (atom === undefined) {
    const runs = fontRuns(text, style.role).map((r) => ({ ...r, width: measure(r.font, r.text, style.size) }));
    atom = { runs, width: runs.reduce((sum, r) => sum + r.width, 0), space: /^\s+$/u.test(text) };
    if (cache.size >= ATOM_CACHE_WORDS) cache.clear();
    cache.set(text, atom);
  }
  return atom;
}

/**
 * Words already broken into font runs and measured, per font role and size: a record's words recur
 * on every page (labels, names, actions), and measuring is most of line breaking. Atoms are never
 * changed once made (lines copy their runs). Each cache starts over when full, so that a long
 * dossier's distinct hashes and ids do not fill memory.
 */
const atomCaches = new Map<string, Map<string, Atom>>();
const ATOM_CACHE_WORDS = 10_000;

function atomCache(style: TextStyle): Map<string, Atom> {
  const key = `${style.role} ${style.size}`;
  let cache = atomCaches.get(key);
  if (!cache) atomCaches.set(key, (cache = new Map()));
  return cache;
}

/** Cuts an atom wider than a line into pieces that fit, character by character. */
function splitAtom(doc: PDFKit.PDFDocument, atom: Atom, style: TextStyle, width: number): Atom[] {
  const pieces: Atom[] = [];
  let piece: Atom = { runs: [], width: 0, space: false };
  for (const run of atom.runs) {
    for (const char of run.text.match(/\[U\+[0-9A-F]+\]|./gsu) ?? []) {
      const w = measure(run.font, char, style.size);
      if (piece.width + w > width && piece.runs.length > 0) {
        pieces.push(piece);
        piece = { runs: [], width: 0, space: false };
      }
      appendRun(piece.runs, { font: run.font, text: char, width: w });
      piece.width += w;
    }
  }
  if (piece.runs.length > 0) pieces.push(piece);
  return pieces;
}

function appendRun(runs: LineRun[], run: LineRun): void {
  const last = runs[runs.length - 1];
  if (last && last.font === run.font) {
    last.text += run.text;
    last.width += run.width;
  } else runs.push({ ...run });
}

/**
 * Breaks text into lines no wider than `width`: at spaces, between CJK characters, and inside words
 * longer than a line (hashes, base64, JSON). Line breaks in the text are kept; tabs become spaces.
 */
export function wrapText(doc: PDFKit.PDFDocument, text: string, style: TextStyle, width: number): Line[] {
  const lines: Line[] = [];
  const paragraphs = text.replace(/\r\n?/g, '\n').replace(/\t/g, '    ').split('\n');
  for (const paragraph of paragraphs) {
    let line: Line = { runs: [], width: 0 };
    let pending: Atom | undefined;
    let firstLine = true;
    const flush = () => {
      lines.push(line);
      line = { runs: [], width: 0 };
      pending = undefined;
      firstLine = false;
    };
    const place = (atom: Atom) => {
      for (const run of atom.runs) appendRun(line.runs, run);
      line.width += atom.width;
    };
    for (const match of paragraph.match(ATOM) ?? []) {
      const atom = toAtom(doc, match, style);
      if (atom.space) {
        // Spaces opening a paragraph are kept (indentation); those at a wrap are dropped.
        if (firstLine && line.runs.length === 0 && atom.width < width) place(atom);
        else if (line.runs.length > 0) pending = atom;
        continue;
      }
      const spaceWidth = pending?.width ?? 0;
      if (line.width + spaceWidth + atom.width <= width) {
        if (pending) place(pending);
        place(atom);
        pending = undefined;
        continue;
      }
      if (line.runs.length > 0) {
        // The space at the break is kept at the end of the line, with no width: it is invisible but
        // keeps words apart for text extraction that follows the structure tree.
        if (pending) for (const run of pending.runs) appendRun(line.runs, { ...run, width: 0 });
        flush();
      }
      pending = undefined;
      if (atom.width <= width) place(atom);
      else {
        const pieces = splitAtom(doc, atom, style, width);
        pieces.forEach((piece, i) => {
          place(piece);
          if (i < pieces.length - 1) flush();
        });
      }
    }
    lines.push(line);
  }
  return lines;
}

/** pdfkit's embedded font as drawLine uses it (pdfkit keeps the selected one as `_font`). */
interface EmbeddedFontInternals {
  id: string;
  ref(): unknown;
  encode(text: string): [string[], { xAdvance: number; advanceWidth: number; xOffset: number; yOffset: number }[]];
}

interface DocumentTextInternals {
  _font: EmbeddedFontInternals;
  _fontSize: number;
  _fillColor?: unknown;
  page: { height: number; fonts: Record<string, unknown> };
  addContent(data: string): unknown;
  fillColor(color: string): unknown;
}

/** pdfkit's number format for content streams (PDFObject.number): at most six decimals. */
function num(n: number): number {
  if (n > -1e21 && n < 1e21) return Math.round(n * 1e6) / 1e6;
  throw new Error(`unsupported number: ${n}`);
}

/** The fill colour operators pdfkit writes for each colour the templates use, found once. */
const fillOperators = new Map<string, string>();

/**
 * The operators pdfkit's `doc.fillColor(color)` writes, without writing them: they are found once
 * per colour by letting pdfkit write them into a scratch list.
 */
function fillColorOperators(doc: DocumentTextInternals, color: string): string {
  let ops = fillOperators.get(color);
  if (ops === undefined) {
    const written: string[] = [];
    const addContent = doc.addContent;
    doc.addContent = (data: string) => written.push(data);
    try {
      doc.fillColor(color);
    } finally {
      doc.addContent = addContent;
    }
    fillOperators.set(color, (ops = written.join('\n')));
  }
  return ops;
}

/**
 * The operators of pdfkit's `doc.text(text, x, y, { lineBreak: false, baseline: 'alphabetic' })`
 * (its `_fragment`, left-aligned, no spacing options), appended to `out`: the same glyphs through
 * the same font.encode (shaping, subset, widths and ToUnicode as pdfkit records them), the same
 * positions and numbers, so the content stream is byte for byte pdfkit's. What it leaves out is
 * pdfkit's per-call overhead: options merged, the text measured again to move doc.x (which the
 * templates never read), and one content write per operator.
 */
function textOperators(doc: DocumentTextInternals, text: string, x: number, top: number, out: string[]): void {
  if (text.length === 0) return;
  const font = doc._font;
  const size = doc._fontSize;
  const height = doc.page.height;
  const y = height - top;
  if (doc.page.fonts[font.id] == null) doc.page.fonts[font.id] = font.ref();
  out.push('q', `1 0 0 -1 0 ${num(height)} cm`, 'BT', `1 0 0 1 ${num(x)} ${num(y)} Tm`, `/${font.id} ${num(size)} Tf`);
  const [encoded, positions] = font.encode(text);
  const scale = size / 1000;
  const commands: string[] = [];
  let last = 0;
  let hadOffset = false;
  const addSegment = (cur: number) => {
    if (last < cur) {
      const hex = encoded.slice(last, cur).join('');
      const advance = positions[cur - 1]!.xAdvance - positions[cur - 1]!.advanceWidth;
      commands.push(`<${hex}> ${num(-advance)}`);
    }
    last = cur;
  };
  const flush = (i: number) => {
    addSegment(i);
    if (commands.length > 0) {
      out.push(`[${commands.join(' ')}] TJ`);
      commands.length = 0;
    }
  };
  let i = 0;
  for (; i < positions.length; i++) {
    const pos = positions[i]!;
    if (pos.xOffset || pos.yOffset) {
      flush(i);
      out.push(`1 0 0 1 ${num(x + pos.xOffset * scale)} ${num(y + pos.yOffset * scale)} Tm`);
      flush(i + 1);
      hadOffset = true;
    } else {
      if (hadOffset) {
        out.push(`1 0 0 1 ${num(x)} ${num(y)} Tm`);
        hadOffset = false;
      }
      if (pos.xAdvance - pos.advanceWidth !== 0) addSegment(i + 1);
    }
    x += pos.xAdvance * scale;
  }
  flush(i);
  out.push('ET', 'Q');
}

/** Draws one line with its top at y; `align` places it within [x, x + width]. */
export function drawLine(
  doc: PDFKit.PDFDocument,
  line: Line,
  x: number,
  y: number,
  style: TextStyle,
  width = line.width,
  align: 'left' | 'right' = 'left',
): void {
  const internals = doc as unknown as DocumentTextInternals;
  let cursor = align === 'right' ? x + width - line.width : x;
  const baseline = y + baselineOffset(style.size);
  const color = style.color ?? '#000000';
  // One content write for the whole line: the fill colour, then each run as pdfkit would draw it.
  const out = [fillColorOperators(internals, color)];
  internals._fillColor = [color, undefined];
  for (const run of line.runs) {
    useFont(doc, run.font, style.size);
    // The width is known (measured when the line was broken): the run is not measured again.
    textOperators(internals, run.text, cursor, baseline, out);
    cursor += run.width;
  }
  internals.addContent(out.join('\n'));
}
