import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { encodeProperties, decodeProperties, persistentProperties, scanPropertyKeys, propertyValue, decodePlainProperties } from '../../../src/common/message/message-properties.ts';
import { RocketMQError } from '../../../src/common/errors.ts';

const S1 = '\u0001';
const S2 = '\u0002';

test('encodeProperties writes key\\u0001value\\u0002 with a trailing separator after every pair', () => {
  assert.equal(encodeProperties({}), '');
  assert.equal(encodeProperties({ TAGS: 'TagA', KEYS: 'k1 k2' }), `TAGS${S1}TagA${S2}KEYS${S1}k1 k2${S2}`);
});

test('encodeProperties drops transient keys and rejects separators inside keys or values', () => {
  assert.equal(encodeProperties({ '__RMQ.TRANSIENT.X': '1', A: 'b' }), `A${S1}b${S2}`);
  assert.throws(() => encodeProperties({ A: `x${S1}y` }), RocketMQError);
  assert.throws(() => encodeProperties({ [`A${S2}`]: 'y' }), RocketMQError);
});

test('decodeProperties follows Java parser rules', () => {
  assert.deepEqual({ ...decodeProperties('') }, {});
  // without the trailing separator
  assert.deepEqual({ ...decodeProperties(`A${S1}1${S2}B${S1}2`) }, { A: '1', B: '2' });
  // empty key, empty value, too-short segments and segments without \u0001 are skipped
  assert.deepEqual({ ...decodeProperties(`${S1}v${S2}K${S1}${S2}ab${S2}xyz${S2}C${S1}3${S2}`) }, { C: '3' });
  // a segment without \u0001 whose search reaches a later segment's \u0001 is skipped, the later pair survives
  assert.deepEqual({ ...decodeProperties(`noseparator${S2}D${S1}4${S2}`) }, { D: '4' });
  // the value runs from the first \u0001: later \u0001 characters belong to the value
  assert.deepEqual({ ...decodeProperties(`E${S1}x${S1}y${S2}`) }, { E: `x${S1}y` });
  // later duplicates win; empty segments are harmless
  assert.deepEqual({ ...decodeProperties(`F${S1}1${S2}${S2}F${S1}2${S2}`) }, { F: '2' });
  // 3 chars is the minimum: "G\u0001h"
  assert.deepEqual({ ...decodeProperties(`G${S1}h`) }, { G: 'h' });
});

test('decodeProperties result has no prototype (a "__proto__" key is plain data)', () => {
  const p = decodeProperties(`__proto__${S1}x${S2}`);
  assert.equal(Object.getPrototypeOf(p), null);
  assert.equal(p.__proto__, 'x');
});

test('persistentProperties drops transient keys', () => {
  assert.deepEqual({ ...persistentProperties({ '__RMQ.TRANSIENT.A': '1', B: '2' }) }, { B: '2' });
});

test('property: encode then decode returns the map when keys and values are non-empty and separator-free', () => {
  const text = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !s.includes(S1) && !s.includes(S2));
  fc.assert(
    fc.property(fc.dictionary(text.filter((k) => !k.startsWith('__RMQ.TRANSIENT.') && k !== '__proto__'), text), (m) => {
      assert.deepEqual({ ...decodeProperties(encodeProperties(m)) }, { ...m });
    }),
  );
});

test('scanPropertyKeys reports exactly the watched keys of an encoded map', () => {
  const key = fc.stringMatching(/^[A-Za-z_]{1,8}$/);
  const value = fc.stringMatching(/^[ -~]{1,12}$/);
  fc.assert(
    fc.property(fc.dictionary(key, value), fc.array(key, { maxLength: 6 }), (p, watched) => {
      const s = encodeProperties(p);
      const mask = scanPropertyKeys(s, watched);
      watched.forEach((k, i) => assert.equal((mask & (1 << i)) !== 0, Object.hasOwn(p, k), `key ${k} in ${JSON.stringify(s)}`));
    }),
  );
  assert.equal(scanPropertyKeys('', ['A']), 0);
  assert.equal(scanPropertyKeys('UNIQ_KEY\u0001x\u0002XUNIQ_KEY\u0001y\u0002', ['UNIQ_KEY', 'KEY']), 1, 'whole keys only');
  assert.equal(scanPropertyKeys('WAIT\u0001true\u0002U\u0001x\u0002', ['U', 'WAIT'], [undefined, 'true']), 3, 'value matches');
  assert.equal(scanPropertyKeys('WAIT\u0001true\u0002', ['WAIT'], ['false']), -1, 'value differs');
  assert.equal(scanPropertyKeys('WAIT\u0001truex\u0002', ['WAIT'], ['true']), -1, 'value longer');
});

test('scanPropertyKeys accepts a string only when every pair survives decode → encode unchanged', () => {
  const piece = fc.constantFrom('A', 'B', 'key', 'v', ' ', '\u0001', '\u0002', '__RMQ.TRANSIENT.x');
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 12 }).map((a) => a.join('')), (s) => {
      if (scanPropertyKeys(s, []) < 0) return;
      const pairs = s.split('\u0002').slice(0, -1);
      assert.equal(s.endsWith('\u0002') || s === '', true);
      for (const pair of pairs) {
        const parts = pair.split('\u0001');
        assert.equal(parts.length, 2, `one separator in ${JSON.stringify(pair)}`);
        assert.ok(parts[0].length > 0 && parts[1].length > 0);
      }
      // appending a new pair means the same as setting it on the decoded map
      assert.deepEqual({ ...decodeProperties(`${s}NEW\u0001x\u0002`) }, { ...decodeProperties(s), NEW: 'x' });
    }),
  );
  for (const bad of ['A\u0001b', '\u0001b\u0002', 'A\u0001\u0002', 'A\u0001b\u0001c\u0002', 'ab\u0002', '__RMQ.TRANSIENT.k\u0001v\u0002']) {
    assert.equal(scanPropertyKeys(bad, []), -1, JSON.stringify(bad));
  }
});

test('propertyValue finds what decodeProperties finds, in any string', () => {
  const piece = fc.constantFrom('A', 'AB', 'B', 'v', '', '\u0001', '\u0002');
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 14 }).map((a) => a.join('')), fc.constantFrom('A', 'AB', 'B'), (s, key) => {
      assert.equal(propertyValue(s, key), decodeProperties(s)[key], JSON.stringify(s));
    }),
  );
});

test('decodePlainProperties: same pairs as decodeProperties in an ordinary object; __proto__ stays a plain key', () => {
  const piece = fc.constantFrom('A', 'B', '__proto__', 'constructor', 'v', '\u0001', '\u0002');
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 12 }).map((a) => a.join('')), (s) => {
      const plain = decodePlainProperties(s);
      assert.equal(Object.getPrototypeOf(plain), Object.prototype);
      assert.deepEqual(Object.entries(plain), Object.entries(decodeProperties(s)));
    }),
  );
  const p = decodePlainProperties('__proto__\u0001x\u0002A\u0001b\u0002');
  assert.equal(Object.getPrototypeOf(p), Object.prototype, 'the prototype was not replaced');
  assert.equal(Object.getOwnPropertyDescriptor(p, '__proto__')?.value, 'x');
  assert.equal(p.A, 'b');
});
