// Embedded fonts of the controlled-record PDFs and per-run font fallback.
//
// PDF/A forbids the standard-14 fonts unless embedded, so every glyph comes from a TrueType font in
// templates/fonts (SIL OFL 1.1, see README.md there): Noto Sans (Latin, Greek, Cyrillic, Vietnamese)
// regular and bold, Noto Sans Mono for hashes and JSON, and a GB2312 subset of Noto Sans SC for
// Chinese. Text is split into runs by the first font that has each character; a character no font
// has is printed as "[U+XXXX]" so that no .notdef glyph is ever referenced (PDF/A-2/3, 6.2.11.8)
// and the text stays truthful when extracted.
import fs from 'node:fs';
import path from 'node:path';

export type FontRole = 'regular' | 'bold' | 'mono';

export const FONTS = { regular: 'regular', bold: 'bold', mono: 'mono', cjk: 'cjk' } as const;

export type FontName = (typeof FONTS)[keyof typeof FONTS];

const FILES: Record<FontName, string> = {
  [FONTS.regular]: 'NotoSans-Regular.ttf',
  [FONTS.bold]: 'NotoSans-Bold.ttf',
  [FONTS.mono]: 'NotoSansMono-Regular.ttf',
  [FONTS.cjk]: 'NotoSansSC-Regular-GB2312.ttf',
};

/** Fonts tried in order for each character of a run in the given role. */
const FALLBACK: Record<FontRole, FontName[]> = {
  regular: [FONTS.regular, FONTS.cjk],
  bold: [FONTS.bold, FONTS.regular, FONTS.cjk],
  mono: [FONTS.mono, FONTS.regular, FONTS.cjk],
};

let directory: string | undefined;

/** The folder holding the font files, beside this module when run from source or from a build. */
export function fontDirectory(): string {
  if (directory) return directory;
  const candidates = [path.join(__dirname, 'fonts'), path.resolve(__dirname, '..', '..', 'templates', 'fonts')];
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, FILES[FONTS.regular])));
  if (!found) throw new Error(`The PDF fonts are missing: looked for ${FILES[FONTS.regular]} in ${candidates.join(', ')}.`);
  return (directory = found);
}

const fileCache = new Map<FontName, Buffer>();

function fontBytes(name: FontName): Buffer {
  let bytes = fileCache.get(name);
  if (!bytes) {
    bytes = fs.readFileSync(path.join(fontDirectory(), FILES[name]));
    fileCache.set(name, bytes);
  }
  return bytes;
}

/**
 * The name a font is registered under on a document: its file's absolute path. pdfkit caches a
 * font by the name it was selected with; the body font is opened from this path by the document's
 * `font` option (so pdfkit never loads Helvetica), and registering every font under its path makes
 * later selections hit that cache instead of parsing the font again.
 */
export function fontId(name: FontName): string {
  let id = ids.get(name);
  if (!id) ids.set(name, (id = path.join(fontDirectory(), FILES[name])));
  return id;
}

const ids = new Map<FontName, string>();

/** Selects a font on the document. */
export function useFont(doc: PDFKit.PDFDocument, name: FontName, size: number): void {
  doc.font(fontId(name), size);
}

/** The glyph lookup pdfkit's fontkit font offers (pdfkit keeps it as `_font.font`). */
interface GlyphLookup {
  unitsPerEm: number;
  hasGlyphForCodePoint(codePoint: number): boolean;
  glyphForCodePoint(codePoint: number): { id: number; advanceWidth: number };
}

const lookups = new Map<FontName, GlyphLookup>();
const coverage = new Map<FontName, Map<number, boolean>>();
const advances = new Map<FontName, Map<number, number>>();

/**
 * Registers the four fonts on a document and opens each once, always in the same order (so the
 * font resource names, and thus the bytes, of a render do not depend on earlier renders); leaves
 * the body font selected.
 */
export function registerFonts(doc: PDFKit.PDFDocument): void {
  for (const name of Object.values(FONTS)) {
    doc.registerFont(fontId(name), fontBytes(name));
    doc.font(fontId(name));
    const embedded = (doc as unknown as { _font?: EmbeddedFont })._font;
    if (!lookups.has(name)) {
      const fontkit = embedded?.font;
      if (!fontkit || typeof fontkit.hasGlyphForCodePoint !== 'function') throw new Error(`pdfkit did not load ${FILES[name]} as a TrueType font`);
      lookups.set(name, fontkit);
    }
    if (embedded) skipShapingOfPlainWords(name, embedded);
  }
  doc.font(fontId(FONTS.regular));
}

/** A glyph as fontkit returns it. */
interface Glyph {
  id: number;
  advanceWidth: number;
}

/** What pdfkit's embedded font (`doc._font`) offers that the shaping shortcut uses. */
interface EmbeddedFont {
  font: GlyphLookup & { layout(text: string): { glyphs: Glyph[]; positions: { xAdvance: number; yAdvance: number; xOffset: number; yOffset: number }[] } };
  scale: number;
  layoutCached(text: string): unknown;
}

/**
 * Per font: which printable ASCII characters, and which ordered pairs of them, shaping leaves alone.
 * Each is found the first time a word needs it, by shaping it alone (at most 95 + 95² tests a font).
 */
interface PlainText {
  /** Code point → whether shaping leaves it alone; first × 128 + second for a pair. */
  single: Map<number, boolean>;
  pairs: Map<number, boolean>;
}

const plainText = new Map<FontName, PlainText>();

function plainTextOf(name: FontName): PlainText {
  let plain = plainText.get(name);
  if (!plain) plainText.set(name, (plain = { single: new Map(), pairs: new Map() }));
  return plain;
}

/**
 * Whether fontkit's shaping (its default features: ligatures, contextual forms, kerning, mark
 * positioning) is the identity on these characters: each gives its own cmap glyph, advanced by that
 * glyph's width, not moved.
 */
function shapingLeavesAlone(font: EmbeddedFont['font'], cps: number[]): boolean {
  if (!cps.every((cp) => font.hasGlyphForCodePoint(cp))) return false;
  const run = font.layout(String.fromCodePoint(...cps));
  if (run.glyphs.length !== cps.length) return false;
  return cps.every((cp, i) => {
    const glyph = run.glyphs[i]!;
    const position = run.positions[i]!;
    return (
      glyph.id === font.glyphForCodePoint(cp).id &&
      position.xAdvance === glyph.advanceWidth &&
      position.yAdvance === 0 &&
      position.xOffset === 0 &&
      position.yOffset === 0
    );
  });
}

/**
 * Whether the text is printable ASCII whose every character, and every pair of neighbours, shaping
 * leaves alone in the font. Kerning and ligatures act on pairs (a kerned pair such as "f." or a
 * ligature such as "ff" in Noto Sans makes its words go through shaping).
 */
function isPlain(text: string, plain: PlainText, font: EmbeddedFont['font']): boolean {
  let previous = -1;
  for (let i = 0; i < text.length; i++) {
    const cp = text.charCodeAt(i);
    if (cp < 0x20 || cp > 0x7e) return false;
    let alone = plain.single.get(cp);
    if (alone === undefined) plain.single.set(cp, (alone = shapingLeavesAlone(font, [cp])));
    if (!alone) return false;
    if (previous >= 0) {
      const key = previous * 128 + cp;
      let pair = plain.pairs.get(key);
      if (pair === undefined) plain.pairs.set(key, (pair = shapingLeavesAlone(font, [previous, cp])));
      if (!pair) return false;
    }
    previous = cp;
  }
  return true;
}

/**
 * pdfkit shapes each distinct word it draws (fontkit's layout, the most expensive part of drawing
 * text) and keeps it. For a word made only of characters that shaping leaves alone (see
 * plainTextOf), this gives pdfkit the same glyphs and positions straight from the cmap and
 * the advance widths, so that the content stream, the subset, the widths and the ToUnicode map are
 * what shaping would have made; other words go through pdfkit's own cached shaping.
 */
function skipShapingOfPlainWords(name: FontName, embedded: EmbeddedFont): void {
  const font = embedded.font;
  if (typeof font.layout !== 'function' || typeof embedded.layoutCached !== 'function') return;
  const plain = plainTextOf(name);
  const shaped = embedded.layoutCached.bind(embedded);
  // fontkit looks each code point up in the cmap anew; its glyph objects are kept (one per id).
  const asciiGlyphs: (Glyph | undefined)[] = [];
  embedded.layoutCached = (text: string) => {
    if (!isPlain(text, plain, font)) return shaped(text);
    const glyphs: Glyph[] = [];
    const positions: { xAdvance: number; yAdvance: number; xOffset: number; yOffset: number; advanceWidth: number }[] = [];
    let advanceWidth = 0;
    for (let i = 0; i < text.length; i++) {
      const cp = text.charCodeAt(i);
      let glyph = asciiGlyphs[cp];
      if (glyph === undefined) asciiGlyphs[cp] = glyph = font.glyphForCodePoint(cp) as Glyph;
      glyphs.push(glyph);
      // As pdfkit's layoutRun scales fontkit's positions: each value times the font's scale.
      const advance = glyph.advanceWidth * embedded.scale;
      positions.push({ xAdvance: advance, yAdvance: 0, xOffset: 0, yOffset: 0, advanceWidth: advance });
      advanceWidth += advance;
    }
    return { glyphs, positions, advanceWidth };
  };
}

function lookup(name: FontName): GlyphLookup {
  const font = lookups.get(name);
  if (!font) throw new Error('registerFonts(doc) must run before text is laid out');
  return font;
}

/**
 * Width of text in a font in thousandths of an em: the sum of the glyphs' advance widths, without
 * kerning (which only narrows Latin text, so lines measured this way never overflow).
 */
export function advanceWidth(name: FontName, text: string): number {
  let known = advances.get(name);
  if (!known) advances.set(name, (known = new Map()));
  let total = 0;
  for (const char of text) {
    const cp = char.codePointAt(0)!;
    let width = known.get(cp);
    if (width === undefined) {
      const font = lookup(name);
      width = (font.glyphForCodePoint(cp).advanceWidth * 1000) / font.unitsPerEm;
      known.set(cp, width);
    }
    total += width;
  }
  return total;
}

/** Per font, whether it has each printable ASCII character (0x20–0x7e), found once. */
const asciiCoverage = new Map<FontName, boolean[]>();

function printableAsciiIn(name: FontName, text: string): boolean {
  let has = asciiCoverage.get(name);
  if (!has) {
    has = [];
    for (let cp = 0x20; cp <= 0x7e; cp++) has[cp] = hasGlyph(name, cp);
    asciiCoverage.set(name, has);
  }
  for (let i = 0; i < text.length; i++) {
    const cp = text.charCodeAt(i);
    if (cp < 0x20 || cp > 0x7e || !has[cp]) return false;
  }
  return true;
}

function hasGlyph(name: FontName, codePoint: number): boolean {
  let known = coverage.get(name);
  if (!known) coverage.set(name, (known = new Map()));
  let has = known.get(codePoint);
  if (has === undefined) {
    has = lookup(name).hasGlyphForCodePoint(codePoint);
    known.set(codePoint, has);
  }
  return has;
}

/** A stretch of text drawn in one font. */
export interface FontRun {
  font: FontName;
  text: string;
}

const MARK = /^\p{M}$/u;
/** Combining marks, zero-width (non-)joiners and variation selectors: they belong to the previous character. */
const attaches = (char: string, cp: number): boolean => MARK.test(char) || cp === 0x200c || cp === 0x200d || (cp >= 0xfe00 && cp <= 0xfe0f);
const CONTROL = /[\p{Cc}\p{Cs}\p{Co}\p{Cn}]/u;

/** Shows a character that no font has, or a control character, as its code point. */
export function placeholder(codePoint: number): string {
  return `[U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}]`;
}

/**
 * Splits text (without line breaks) into runs of one font each: per character, the first font of
 * the role's fallback chain that has a glyph for it. Combining marks and joiners stay with the
 * character they follow; characters no font has become a placeholder in the role's main font.
 */
export function fontRuns(text: string, role: FontRole): FontRun[] {
  const chain = FALLBACK[role];
  const primary = chain[0]!;
  // Printable ASCII that the role's main font has throughout is one run of it (what the loop below
  // makes of it, without testing each character against the marks and controls).
  if (printableAsciiIn(primary, text)) return text.length === 0 ? [] : [{ font: primary, text }];
  const runs: FontRun[] = [];
  let current: FontRun | undefined;
  const push = (font: FontName, piece: string) => {
    if (current && current.font === font) current.text += piece;
    else runs.push((current = { font, text: piece }));
  };
  for (const char of text) {
    const cp = char.codePointAt(0)!;
    if (current && attaches(char, cp) && hasGlyph(current.font, cp)) {
      current.text += char;
      continue;
    }
    if (cp === 0x20 && current) {
      push(hasGlyph(current.font, cp) ? current.font : primary, char);
      continue;
    }
    const font = CONTROL.test(char) ? undefined : chain.find((name) => hasGlyph(name, cp));
    if (font) push(font, char);
    else push(primary, placeholder(cp));
  }
  return runs;
}
