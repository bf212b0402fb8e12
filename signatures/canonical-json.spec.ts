import { canonicalHash, canonicalJson, canonicalJsonOfParsed, referenceCanonicalJson, sha256Hex, type JsonValue } from './canonical-json';

describe('RFC 8785 canonical JSON', () => {
  test('sorts keys by UTF-16 code units, drops whitespace, renders numbers as ECMAScript does', () => {
    expect(canonicalJson({ b: 1, a: [1, 'x', 1e21, 0.1], é: 'é' })).toBe('{"a":[1,"x",1e+21,0.1],"b":1,"é":"é"}');
    // RFC 8785 §3.2.3 example of property sorting.
    expect(
      canonicalJson({
        '\u20ac': 'Euro Sign',
        '\r': 'Carriage Return',
        '\ufb33': 'Hebrew Letter Dalet With Dagesh',
        '1': 'One',
        '\ud83d\ude00': 'Emoji: Grinning Face',
        '\u0080': 'Control',
        '\u00f6': 'Latin Small Letter O With Diaeresis',
      }),
    ).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
    // RFC 8785 test vector: the literal is meant to round to 333333333.3333333.
    // eslint-disable-next-line no-loss-of-precision
    expect(canonicalJson({ n: -0, big: 333333333.33333329, small: 1e-7 })).toBe('{"big":333333333.3333333,"n":0,"small":1e-7}');
  });

  test('the hash does not depend on key order but on every value', () => {
    expect(canonicalHash({ a: 1, b: { c: 'x', d: [1, 2] } })).toBe(canonicalHash({ b: { d: [1, 2], c: 'x' }, a: 1 }));
    expect(canonicalHash({ a: 1 })).not.toBe(canonicalHash({ a: 2 }));
    expect(canonicalHash({ a: 1 })).toBe(sha256Hex('{"a":1}'));
  });

  test('refuses values JSON cannot represent', () => {
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
    expect(() => canonicalJson({ n: Number.NaN })).toThrow();
  });
});

describe('the fast path agrees with the reference implementation', () => {
  /** A small deterministic generator (mulberry32), so a failure names a seed that reproduces it. */
  function random(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const STRINGS = ['', 'a', 'é', '\u20ac', '\ud83d\ude00', '\ud800', '\u0000', '"\\', '\r\n\t', '审批', '1', '01', '10', '4294967295', '-1', '1.5', 'seq'];
  const NUMBERS = [0, -0, 1, -1, 0.1, 1e21, 1e-7, 5e-324, 333333333.3333333, Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, -1.5e-300];
  function value(next: () => number, depth: number): unknown {
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
    const kind = Math.floor(next() * (depth > 3 ? 4 : 7));
    switch (kind) {
      case 0:
        return pick(STRINGS) + (next() < 0.3 ? pick(STRINGS) : '');
      case 1:
        return pick(NUMBERS);
      case 2:
        return pick([true, false, null]);
      case 3:
        return next() < 0.1 ? undefined : pick(STRINGS);
      case 4:
        return Array.from({ length: Math.floor(next() * 4) }, () => value(next, depth + 1));
      default: {
        const object: Record<string, unknown> = {};
        for (let i = Math.floor(next() * 6); i > 0; i--) object[pick(STRINGS) + (next() < 0.5 ? pick(STRINGS) : '')] = value(next, depth + 1);
        return object;
      }
    }
  }

  test.each(Array.from({ length: 20 }, (_, i) => i + 1))('seed %i: 500 generated values give the same text', (seed) => {
    const next = random(seed);
    for (let i = 0; i < 500; i++) {
      const v = { root: value(next, 0) };
      expect(canonicalJson(v)).toBe(referenceCanonicalJson(v));
    }
  });

  test.each(Array.from({ length: 10 }, (_, i) => i + 101))('seed %i: the writer for parsed JSON (jsonb columns) gives the reference text', (seed) => {
    const next = random(seed);
    for (let i = 0; i < 500; i++) {
      // What a jsonb column gives back: the value after a JSON round trip (no undefined, no -0).
      const parsed = JSON.parse(JSON.stringify({ root: value(next, 0) })) as JsonValue;
      expect(canonicalJsonOfParsed(parsed)).toBe(referenceCanonicalJson(parsed));
    }
    expect(canonicalJsonOfParsed({ '10': 1, '9': 2, b: [1e21, -0, 'é'], a: null })).toBe('{"10":1,"9":2,"a":null,"b":[1e+21,0,"é"]}');
    expect(() => canonicalJsonOfParsed({ n: JSON.parse('1e400') as number })).toThrow('Infinity is not allowed');
  });

  test('array-index keys, toJSON values and non-finite numbers go to the reference', () => {
    expect(canonicalJson({ '10': 1, '9': 2, a: 3 })).toBe('{"10":1,"9":2,"a":3}');
    expect(canonicalJson({ at: new Date(Date.UTC(2026, 0, 1)) })).toBe('{"at":"2026-01-01T00:00:00.000Z"}');
    expect(() => canonicalJson({ n: Number.POSITIVE_INFINITY })).toThrow();
  });
});
