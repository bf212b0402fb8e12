import { canonicalHash, canonicalJson, sha256Hex } from './canonical-json';

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
