// The shaping shortcut of fonts.ts: words of printable ASCII that shaping would leave alone are
// given to pdfkit as their cmap glyphs and advance widths. For every font and many words (random
// printable ASCII, and the words of ids, hashes and times), that must be exactly what fontkit's
// shaping gives; kerned pairs and ligatures must still be shaped.
import { createDocument } from './layout';

interface Run {
  glyphs: { id: number }[];
  positions: { xAdvance: number; yAdvance: number; xOffset: number; yOffset: number }[];
}

interface Font {
  scale: number;
  layoutCache: Record<string, unknown>;
  layoutCached(text: string): Run;
  font: { layout(text: string): Run; postscriptName: string };
}

function fonts(): Font[] {
  const doc = createDocument({ title: 't', author: 'a', subject: 's', keywords: 'k', generatedAt: new Date(0) });
  const families = (doc as unknown as { _fontFamilies: Record<string, Font> })._fontFamilies;
  return [...new Set(Object.values(families))];
}

/** mulberry32: the same words on every run. */
function random(seed: number): () => number {
  return () => {
    let t = (seed = (seed + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Whether pdfkit's word for `text` came from the shortcut (shaped words are kept in its cache). */
function viaShortcut(font: Font, text: string): boolean {
  const before = Object.keys(font.layoutCache).length;
  font.layoutCached(text);
  return Object.keys(font.layoutCache).length === before;
}

test('words given without shaping are exactly what shaping gives, in every font', () => {
  const next = random(14);
  const ascii = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i));
  const words = [
    '2026-01-05 ',
    '14:47:00 ',
    'e60d28f4-0fde-4c8d-a3f8-82a210264180',
    'sha256:ce878b98f512e14c540a707d7f8354238ce2f26d0f9b6769be4341c8f78e4887',
    'signature-edec4978-f464-4285-a61a-4a0bb9f24f50.p7s ',
    'CAPA-2026-0002 ',
    ...Array.from({ length: 4000 }, () => Array.from({ length: 2 + Math.floor(next() * 7) }, () => ascii[Math.floor(next() * ascii.length)]).join('')),
  ];
  let shortcut = 0;
  for (const font of fonts()) {
    for (const word of words) {
      if (!viaShortcut(font, word)) continue;
      shortcut += 1;
      const fast = font.layoutCached(word);
      const shaped = font.font.layout(word);
      expect({ font: font.font.postscriptName, word, ids: fast.glyphs.map((g) => g.id) }).toEqual({
        font: font.font.postscriptName,
        word,
        ids: shaped.glyphs.map((g) => g.id),
      });
      shaped.positions.forEach((p, i) => {
        expect(fast.positions[i]).toMatchObject({ xAdvance: p.xAdvance * font.scale, yAdvance: p.yAdvance, xOffset: p.xOffset, yOffset: p.yOffset });
      });
    }
  }
  // Most words take the shortcut (else the test would prove nothing).
  expect(shortcut).toBeGreaterThan(words.length);
});

test('kerned pairs, ligatures and text outside printable ASCII are shaped', () => {
  const regular = fonts().find((f) => f.font.postscriptName === 'NotoSans-Regular')!;
  for (const word of ['office', 'f.', 'AC', 'Zoë', '张伟', 'a\tb']) expect({ word, shortcut: viaShortcut(regular, word) }).toEqual({ word, shortcut: false });
  expect(viaShortcut(regular, '2026-01-05 ')).toBe(true);
});
