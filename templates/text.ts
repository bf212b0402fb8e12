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
  const runs = fontRuns(text, style.role).map((r) => ({ ...r, width: measure(r.font, r.text, style.size) }));
  return { runs, width: runs.reduce((sum, r) => sum + r.width, 0), space: /^\s+$/u.test(text) };
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
  let cursor = align === 'right' ? x + width - line.width : x;
  const baseline = y + baselineOffset(style.size);
  doc.fillColor(style.color ?? '#000000');
  for (const run of line.runs) {
    useFont(doc, run.font, style.size);
    // The width is known (measured when the line was broken): pdfkit need not shape the run for it.
    doc.text(run.text, cursor, baseline, { lineBreak: false, baseline: 'alphabetic', textWidth: run.width, wordCount: 1 } as PDFKit.Mixins.TextOptions);
    cursor += run.width;
  }
}
