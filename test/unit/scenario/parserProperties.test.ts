import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseScenario, IO_FLAG_NAMES, IO_OP_NAMES, IO_OPTION_NAMES, IO_STATES, STATEMENT_KEYWORDS, type Span } from '../../../engine/scenario';

/** Lines as the parser counts them: any newline convention; a final newline adds no line. */
function linesOf(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function assertInside(text: string, span: Span, what: string): void {
  const lines = linesOf(text);
  assert.ok(Number.isInteger(span.line) && span.line >= 1 && span.line <= lines.length, `${what}: line ${span.line} of ${lines.length}`);
  const length = lines[span.line - 1].length;
  assert.ok(Number.isInteger(span.column) && span.column >= 1, `${what}: column ${span.column}`);
  assert.ok(span.column <= span.endColumn, `${what}: column ${span.column} > endColumn ${span.endColumn}`);
  assert.ok(span.endColumn <= length + 1, `${what}: endColumn ${span.endColumn} beyond line length ${length}`);
}

/** Words of the language plus near misses and debris, so generated lines reach deep into the parser. */
const word = fc.oneof(
  fc.constantFrom(...STATEMENT_KEYWORDS, ...IO_OP_NAMES, ...IO_FLAG_NAMES, ...IO_OPTION_NAMES, ...IO_STATES),
  fc.constantFrom('expect', 'status', 'state', 'calls', 'violation', 'violations', 'no', 'output', 'altitude', 'size', 'dword', 'string', 'delayed', 'critical'),
  fc.constantFrom('STATUS_SUCCESS', 'STATUS_CANCELED', 'cpp-bad-status', 'Bad_Rule', 'counting!PreRead', 'x!', '!F', 'FileBasicInformation'),
  fc.constantFrom('#1', '#2', '#0', '#', '#x', '"\\Device\\a.txt"', '"', '"\\"', '"\\\\"', '//', '// c', '0x10', '0x', '-1', '4o96', '99999999999999999999'),
  fc.nat({ max: 1000 }).map(String),
  fc.string({ maxLength: 6 }),
);
const line = fc.array(word, { maxLength: 8 }).chain((ws) => fc.constantFrom(' ', '  ', '\t').map((sep) => ws.join(sep)));
const scenarioText = fc.tuple(fc.array(line, { maxLength: 12 }), fc.constantFrom('\n', '\r\n', '\r')).map(([ls, nl]) => ls.join(nl));

function checkResult(text: string): void {
  const { scenario, diagnostics } = parseScenario(text);
  for (const d of diagnostics) {
    assertInside(text, d, `diagnostic '${d.message}'`);
    assert.ok(d.message.length > 0 && d.hint.length > 0, 'every diagnostic has a message and a hint');
    assert.ok(d.severity === 'error' || d.severity === 'warning');
  }
  for (let i = 1; i < diagnostics.length; i++) {
    const a = diagnostics[i - 1];
    const b = diagnostics[i];
    assert.ok(a.line < b.line || (a.line === b.line && a.column <= b.column), 'diagnostics are sorted');
  }
  for (const s of scenario.statements) assertInside(text, s, `statement ${s.kind}`);
}

test('the parser never throws on arbitrary text and keeps every position inside it', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => checkResult(text)), { numRuns: 400 });
});

test('the parser never throws on near-valid scenario text and keeps every position inside it', () => {
  fc.assert(fc.property(scenarioText, (text) => checkResult(text)), { numRuns: 1500 });
});

test('a valid io line round-trips its numbers whatever the option order', () => {
  const options = fc.record({ length: fc.nat({ max: 0xffffffff }), offset: fc.nat(), at: fc.nat() });
  fc.assert(
    fc.property(options, fc.boolean(), fc.boolean(), (o, hex, reversed) => {
      const fmt = (n: number) => (hex ? `0x${n.toString(16)}` : String(n));
      const parts = [`length ${fmt(o.length)}`, `offset ${fmt(o.offset)}`, `at ${fmt(o.at)}`];
      if (reversed) parts.reverse();
      const { scenario, diagnostics } = parseScenario(`driver "f.c"\nio #3 read "\\a" ${parts.join(' ')}`);
      assert.deepEqual(diagnostics, []);
      const io = scenario.ios[0];
      assert.deepEqual([io.length, io.offset, io.time], [o.length, o.offset, o.at]);
    }),
    { numRuns: 200 },
  );
});
