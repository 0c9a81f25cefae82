import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CanonicalJsonError, canonicalJson, canonicalJsonBytes } from '@/utils/schema/canonical-json';

/** A straightforward reference: sort keys recursively, then let JSON.stringify write each level. */
function reference(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${reference((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Rebuilds every object with its members inserted in a shuffled order. */
function reorder(value: unknown, order: number[]): unknown {
  if (Array.isArray(value)) return value.map((item) => reorder(item, order));
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    const shuffled = keys
      .map((key, index) => ({ key, rank: order[index % Math.max(order.length, 1)] ?? index }))
      .sort((a, b) => a.rank - b.rank || (a.key < b.key ? 1 : -1))
      .map((entry) => entry.key);
    const copy: Record<string, unknown> = {};
    for (const key of shuffled) {
      // defineProperty, so that a member named "__proto__" stays a member.
      const member = reorder((value as Record<string, unknown>)[key], order);
      Object.defineProperty(copy, key, {
        value: member,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return copy;
  }
  return value;
}

/** JSON values with awkward keys: integer-like names, "__proto__", emoji, empty. */
const awkwardKey = fc.oneof(
  fc.string(),
  fc.constantFrom(
    '0',
    '1',
    '10',
    '9',
    '42',
    '-1',
    '01',
    '1.5',
    '__proto__',
    'constructor',
    '',
    '😀',
    '\uffff',
    'é',
    'e\u0301',
  ),
);
const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    fc.string({ unit: 'grapheme' }),
    fc.string({ unit: 'binary' }),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(awkwardKey, tie('value'), { maxKeys: 6 }),
  ),
})).value;

describe('canonicalJson', () => {
  it('matches a simple sorted-keys reference, on both the fast path and the integer-key path', () => {
    fc.assert(
      fc.property(jsonValue, (value) => {
        expect(canonicalJson(value)).toBe(reference(value));
      }),
      { numRuns: 300 },
    );
  });

  it('does not depend on the order members were inserted in', () => {
    fc.assert(
      fc.property(
        jsonValue,
        fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 8 }),
        (value, order) => {
          expect(canonicalJson(reorder(value, order))).toBe(canonicalJson(value));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('round-trips through JSON.parse and is a fixed point', () => {
    fc.assert(
      fc.property(jsonValue, (value) => {
        const text = canonicalJson(value);
        const parsed: unknown = JSON.parse(text);
        // -0 is written as 0, the only value JSON cannot carry back.
        expect(parsed).toEqual(JSON.parse(JSON.stringify(value)));
        expect(canonicalJson(parsed)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('sorts by UTF-16 code units, not by code points or locale', () => {
    // U+1F600 is the surrogate pair D83D DE00, which sorts before U+FFFF by code unit;
    // by code point it would come after. "Z" < "a" < "é" by code unit, unlike most locales.
    const value = { '\uffff': 1, '😀': 2, é: 3, a: 4, Z: 5, '10': 6, '9': 7 };
    expect(canonicalJson(value)).toBe('{"10":6,"9":7,"Z":5,"a":4,"é":3,"😀":2,"\uffff":1}');
  });

  it('writes numbers in the shortest round-trip form', () => {
    expect(canonicalJson([0, -0, 1e21, 1e-7, 0.1 + 0.2, 123456789012345680000, -1.5, 2 ** 53])).toBe(
      '[0,0,1e+21,1e-7,0.30000000000000004,123456789012345680000,-1.5,9007199254740992]',
    );
  });

  it('writes no whitespace and omits undefined members', () => {
    expect(canonicalJson({ b: [1, { d: undefined, c: 'x y' }], a: undefined, e: null })).toBe(
      '{"b":[1,{"c":"x y"}],"e":null}',
    );
  });

  it('keeps a member named __proto__ as an ordinary member', () => {
    const value = JSON.parse('{"__proto__":{"x":1},"a":2}');
    expect(canonicalJson(value)).toBe('{"__proto__":{"x":1},"a":2}');
  });

  it('escapes lone surrogates and line separators so the bytes are well-formed UTF-8', () => {
    const text = canonicalJson({ s: '\ud800 x \u2028 \u0000' });
    expect(text).toBe('{"s":"\\ud800 x \u2028 \\u0000"}');
    const bytes = canonicalJsonBytes({ s: '\ud800' });
    expect(new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toBe('{"s":"\\ud800"}');
  });

  it('gives UTF-8 bytes of the canonical text', () => {
    fc.assert(
      fc.property(jsonValue, (value) => {
        expect(canonicalJsonBytes(value)).toEqual(new TextEncoder().encode(canonicalJson(value)));
      }),
      { numRuns: 100 },
    );
  });

  it.each([
    ['NaN', { a: [1, Number.NaN] }, '$.a[1]'],
    ['Infinity', { a: Number.POSITIVE_INFINITY }, '$.a'],
    ['-Infinity', [Number.NEGATIVE_INFINITY], '$[0]'],
    ['undefined in an array', { list: [1, undefined] }, '$.list[1]'],
    // biome-ignore lint/suspicious/noSparseArray: the hole is the point of this case.
    ['a hole in an array', { list: [1, , 3] }, '$.list[1]'],
    ['undefined at the top', undefined, '$'],
    ['a bigint', { n: 10n }, '$.n'],
    ['a function', { f: () => 1 }, '$.f'],
    ['a symbol value', { s: Symbol('x') }, '$.s'],
    ['a symbol key', { [Symbol('k')]: 1 }, '$'],
    ['a Date', { when: new Date(0) }, '$.when'],
    ['a Map', { m: new Map() }, '$.m'],
    ['a typed array', { bytes: new Uint8Array(2) }, '$.bytes'],
    ['a class instance', { x: new (class Point {})() }, '$.x'],
    ['an object with integer keys holding NaN', { 7: { 1: Number.NaN } }, '$["7"]["1"]'],
  ])('rejects %s with the JSON path of the problem', (_name, value, path) => {
    expect(() => canonicalJson(value)).toThrow(CanonicalJsonError);
    try {
      canonicalJson(value);
    } catch (error) {
      expect((error as Error).message).toContain(`at ${path}:`);
    }
  });

  it('rejects cycles instead of recursing forever', () => {
    const value: Record<string, unknown> = { a: 1 };
    value.self = { back: value };
    expect(() => canonicalJson(value)).toThrow(/\$\.self\.back: the value contains a cycle/);
  });

  it('accepts the same object twice when it is not a cycle', () => {
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: [shared, shared] })).toBe('{"a":{"x":1},"b":[{"x":1},{"x":1}]}');
  });

  it('accepts objects without a prototype', () => {
    const value = Object.assign(Object.create(null), { b: 1, a: 2 });
    expect(canonicalJson(value)).toBe('{"a":2,"b":1}');
  });

  it('refuses absurd nesting with a clear error rather than a stack overflow', () => {
    let value: unknown = 1;
    for (let depth = 0; depth < 1500; depth++) value = [value];
    expect(() => canonicalJson(value)).toThrow(/nesting deeper than 1000 levels/);
  });
});
