/**
 * `npx tsx scripts/write-encoding-fixtures.ts [--check]`
 *
 * Writes test/fixtures/encodings/<variant>/ from test/fixtures/encodings/lf/ (UTF-8, LF: the one
 * copy anyone edits): the same files as Windows tools save them — CRLF, UTF-8 with a byte order
 * mark, UTF-16 in either byte order, UTF-16 without a mark. .gitattributes keeps git from touching
 * their bytes. With --check nothing is written; the exit code is 1 when a committed file differs
 * from what would be written (test/unit/files/encodingFixtures.test.ts runs the same comparison).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

export const ENCODING_FIXTURES = path.resolve(__dirname, '..', 'test', 'fixtures', 'encodings');

export interface Variant {
  /** Folder under test/fixtures/encodings/. */
  name: string;
  eol: '\n' | '\r\n';
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be';
  bom: boolean;
}

export const VARIANTS: readonly Variant[] = [
  { name: 'crlf', eol: '\r\n', encoding: 'utf-8', bom: false },
  { name: 'utf8-bom', eol: '\r\n', encoding: 'utf-8', bom: true },
  { name: 'utf16le', eol: '\r\n', encoding: 'utf-16le', bom: true },
  { name: 'utf16be', eol: '\n', encoding: 'utf-16be', bom: true },
  { name: 'utf16le-nobom', eol: '\r\n', encoding: 'utf-16le', bom: false },
];

/** The bytes of an LF text as the variant stores it. */
export function encodeText(text: string, v: Variant): Buffer {
  const lines = text.replace(/\r\n/g, '\n').replace(/\n/g, v.eol);
  if (v.encoding === 'utf-8') return Buffer.concat([Buffer.from(v.bom ? [0xef, 0xbb, 0xbf] : []), Buffer.from(lines, 'utf8')]);
  const body = Buffer.from(lines, 'utf16le');
  if (v.encoding === 'utf-16be') body.swap16();
  const bom = v.encoding === 'utf-16le' ? [0xff, 0xfe] : [0xfe, 0xff];
  return Buffer.concat([Buffer.from(v.bom ? bom : []), body]);
}

/** Every file of every variant with the bytes it must have. */
export function expectedFixtures(): { file: string; bytes: Buffer }[] {
  const source = path.join(ENCODING_FIXTURES, 'lf');
  const out: { file: string; bytes: Buffer }[] = [];
  for (const name of readdirSync(source).sort()) {
    const text = readFileSync(path.join(source, name), 'utf8');
    for (const v of VARIANTS) out.push({ file: path.join(ENCODING_FIXTURES, v.name, name), bytes: encodeText(text, v) });
  }
  return out;
}

if (require.main === module) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const { file, bytes } of expectedFixtures()) {
    const same = existsSync(file) && readFileSync(file).equals(bytes);
    if (same) continue;
    if (check) {
      console.error(`stale: ${path.relative(process.cwd(), file)}`);
      stale++;
      continue;
    }
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, bytes);
    console.log(`wrote ${path.relative(process.cwd(), file)}`);
  }
  if (stale > 0) {
    console.error(`${stale} file(s) differ; run npx tsx scripts/write-encoding-fixtures.ts`);
    process.exit(1);
  }
}
