import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { encodeProperties, decodeProperties, persistentProperties } from '../../../src/common/message/message-properties.ts';
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
