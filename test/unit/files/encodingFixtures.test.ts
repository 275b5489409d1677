// The committed encoding fixtures (test/fixtures/encodings/) are what scripts/write-encoding-fixtures.ts
// writes from the LF originals, byte for byte, and each decodes back to the original's text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { decodeSource } from '../../../engine/files';
import { ENCODING_FIXTURES, expectedFixtures, VARIANTS } from '../../../scripts/write-encoding-fixtures';

test('every variant file holds exactly the bytes the script writes (git kept them: .gitattributes)', () => {
  const expected = expectedFixtures();
  assert.equal(expected.length, readdirSync(path.join(ENCODING_FIXTURES, 'lf')).length * VARIANTS.length);
  for (const { file, bytes } of expected) {
    assert.ok(existsSync(file), `${file} is missing: run npx tsx scripts/write-encoding-fixtures.ts`);
    assert.ok(readFileSync(file).equals(bytes), `${file} differs: run npx tsx scripts/write-encoding-fixtures.ts`);
  }
});

test('each variant decodes to the original text, with its own line ends', () => {
  for (const name of readdirSync(path.join(ENCODING_FIXTURES, 'lf'))) {
    const original = readFileSync(path.join(ENCODING_FIXTURES, 'lf', name), 'utf8');
    for (const v of VARIANTS) {
      const decoded = decodeSource(readFileSync(path.join(ENCODING_FIXTURES, v.name, name)));
      assert.equal(decoded.text, original.replace(/\n/g, v.eol), `${v.name}/${name}`);
      assert.equal(decoded.encoding, v.encoding === 'utf-8' ? (v.bom ? 'utf-8-bom' : 'utf-8') : v.encoding);
      assert.equal(decoded.how, v.bom ? 'bom' : v.encoding === 'utf-8' ? 'default' : 'guess');
    }
  }
});
