// Source bytes to text (engine/files/text.ts): every encoding a Windows tool writes gives the same text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeSource, lineEndingOf, withLineEnding } from '../../../engine/files';

const TEXT = '// caf\u00e9 \u4e2d \u{1F600}\r\nint x;\r\n';

function utf16(text: string, order: 'le' | 'be', bom: boolean): Uint8Array {
  const le = Buffer.from(text, 'utf16le');
  if (order === 'be') for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!];
  const mark = order === 'le' ? [0xff, 0xfe] : [0xfe, 0xff];
  return bom ? Buffer.concat([Buffer.from(mark), le]) : le;
}

test('UTF-8 with or without a mark and UTF-16 either way round, with a mark or without, decode to one text', () => {
  const cases: [Uint8Array, string, string][] = [
    [Buffer.from(TEXT, 'utf8'), 'utf-8', 'default'],
    [Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT, 'utf8')]), 'utf-8-bom', 'bom'],
    [utf16(TEXT, 'le', true), 'utf-16le', 'bom'],
    [utf16(TEXT, 'be', true), 'utf-16be', 'bom'],
    [utf16(TEXT, 'le', false), 'utf-16le', 'guess'],
    [utf16(TEXT, 'be', false), 'utf-16be', 'guess'],
  ];
  for (const [bytes, encoding, how] of cases) assert.deepEqual(decodeSource(bytes), { text: TEXT, encoding, how });
});

test('UTF-8 is never taken for UTF-16, even with a stray zero byte; bytes that are not UTF-8 become one U+FFFD each', () => {
  assert.equal(decodeSource(Buffer.from('int a;\0int b;\n', 'utf8')).encoding, 'utf-8');
  assert.equal(decodeSource(Buffer.from('ab')).encoding, 'utf-8', 'too short to guess');
  // Windows-1252 "é" (0xE9) in a comment: one replacement character, so the columns after it stay right.
  assert.equal(decodeSource(Buffer.from([0x2f, 0x2f, 0xe9, 0x78, 0x0a])).text, '//\ufffdx\n');
  assert.equal(decodeSource(new Uint8Array()).text, '');
});

test('the line ending of a text is that of its first line; inserted text takes it', () => {
  assert.equal(lineEndingOf('a\r\nb\n'), '\r\n');
  assert.equal(lineEndingOf('a\nb\r\n'), '\n');
  assert.equal(lineEndingOf('one line'), '\n');
  assert.equal(withLineEnding('\n  if (p == NULL) {\n  }', '\r\n'), '\r\n  if (p == NULL) {\r\n  }');
  assert.equal(withLineEnding('a\r\nb', '\n'), 'a\nb');
});
