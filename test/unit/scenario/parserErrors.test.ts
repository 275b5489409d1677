import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario, type ScenarioDiagnostic } from '../../../engine/scenario';

const HEAD = 'driver "f.c"\nio #1 read "\\a" at 1\n';

/** The one diagnostic the text yields (after the two-line HEAD, so errors sit on line 3). */
function only(body: string, withHead = true): ScenarioDiagnostic {
  const { diagnostics } = parseScenario(withHead ? HEAD + body : body);
  assert.equal(diagnostics.length, 1, `expected one diagnostic, got ${JSON.stringify(diagnostics, null, 1)}`);
  return diagnostics[0];
}

function where(d: ScenarioDiagnostic): [number, number, number] {
  return [d.line, d.column, d.endColumn];
}

test('unknown operation suggests the nearest one', () => {
  const d = only('io #2 raed "\\a" length 4096 at 0');
  assert.equal(d.message, "unknown operation 'raed' — did you mean 'read'?");
  assert.deepEqual(where(d), [3, 7, 11]);
  assert.equal(d.code, 'unknown-operation');
  assert.equal(d.severity, 'error');
  assert.match(d.hint, /^Operations: create, read, write, cleanup, close, query-info, set-info/);
  assert.equal(only('io #2 wirte "\\a"').message, "unknown operation 'wirte' — did you mean 'write'?");
  assert.equal(only('io #2 query-inf "\\a"').message, "unknown operation 'query-inf' — did you mean 'query-info'?");
  assert.equal(only('io #2 frobnicate "\\a"').message, "unknown operation 'frobnicate'", 'no suggestion when nothing is close');
});

test('unknown keyword, an operation used as a statement, and a line starting with a string', () => {
  const d = only('expcet #1 status STATUS_SUCCESS');
  assert.deepEqual([d.message, d.code, ...where(d)], ["unknown keyword 'expcet' — did you mean 'expect'?", 'unknown-keyword', 3, 1, 7]);
  assert.match(d.hint, /Start the line with one of: scenario, driver, .*Comments start with \/\//);
  const op = only('  read "\\a"');
  assert.deepEqual([op.message, ...where(op)], ["'read' is an io operation, not a statement", 3, 3, 7]);
  assert.match(op.hint, /io #1 read/);
  const str = only('"\\a" read');
  assert.deepEqual([str.message, ...where(str)], ['a line must start with a keyword, found "\\a"', 3, 1, 5]);
});

test('missing or unquoted strings', () => {
  const unquoted = only('driver pendfilter.c', false);
  assert.deepEqual([unquoted.code, unquoted.message, ...where(unquoted)], ['missing-string', "driver path must be a quoted string, found 'pendfilter.c'", 1, 8, 20]);
  assert.equal(unquoted.hint, 'Write it in double quotes: driver "pendfilter.c"');
  const absent = only('scenario');
  assert.deepEqual([absent.code, absent.message, ...where(absent)], ['missing-string', 'missing scenario title', 3, 1, 9]);
  const path = only('io #2 read length 4');
  assert.deepEqual([path.message, ...where(path)], ["file path must be a quoted string, found 'length'", 3, 12, 18]);
  const empty = only('driver ""', false);
  assert.deepEqual([empty.message, ...where(empty)], ['the driver path is empty', 1, 8, 10]);
});

test('an unterminated string is reported once, from the quote to the end of the line', () => {
  const d = only('io #2 read "\\Device\\a.txt length 4');
  assert.deepEqual([d.code, d.message, ...where(d)], ['unterminated-string', 'this string has no closing quote', 3, 12, 35]);
  assert.match(d.hint, /\\" for a quote/);
  // `\"` at the end escapes the quote, so the string is still open: the hint says how to end in a backslash.
  assert.equal(only('io #2 create "\\Device\\X\\"').code, 'unterminated-string');
});

test('bad numbers: letters, signs, overflow, ranges', () => {
  const letters = only('io #2 read "\\a" length 4o96');
  assert.deepEqual([letters.code, letters.message, ...where(letters)], ['bad-number', "bad number '4o96' for length", 3, 24, 28]);
  assert.equal(letters.hint, 'Write a decimal (4096) or hex (0x1000) integer with no sign or suffix.');
  const negative = only('cancel #1 at -1');
  assert.deepEqual([negative.message, negative.hint, ...where(negative)], ["bad number '-1' for time", 'Times cannot be negative.', 3, 14, 16]);
  const big = only('io #2 read "\\a" length 0x100000000');
  assert.deepEqual([big.message, big.hint], ['length 0x100000000 is out of range', 'Use a value from 0 to 4294967295.']);
  const cpus = only('processors 0');
  assert.deepEqual([cpus.message, cpus.hint, ...where(cpus)], ['processor count 0 is out of range', 'Use a value from 1 to 64.', 3, 12, 13]);
  const missing = only('io #2 read "\\a" length');
  assert.deepEqual([missing.code, missing.message, ...where(missing)], ['missing-value', "missing length after 'length'", 3, 17, 23]);
  const altitude = only('driver "g.c" altitude high');
  assert.deepEqual([altitude.message, ...where(altitude)], ["bad altitude 'high'", 3, 23, 27]);
});

test('io ids: malformed, missing, duplicate', () => {
  const zero = only('io #0 read "\\a"');
  assert.deepEqual([zero.code, zero.message, ...where(zero)], ['bad-number', "bad io id '#0'", 3, 4, 6]);
  const none = only('io read "\\a"');
  assert.deepEqual([none.message, ...where(none)], ["expected an io reference like #1, found 'read'", 3, 4, 8]);
  const dup = only('io #1 write "\\b"');
  assert.deepEqual([dup.code, dup.message, dup.hint, ...where(dup)], ['duplicate', 'io #1 is already given on line 2', 'Keep one of the two lines.', 3, 4, 6]);
});

test('references to unknown ios from cancel and expect', () => {
  const cancel = only('cancel #7 at 3');
  assert.deepEqual([cancel.code, cancel.message, cancel.hint, ...where(cancel)], ['unknown-io', 'cancel refers to #7, but no io line declares it', 'Declared ios: #1.', 3, 8, 10]);
  const expect = only('expect #8 state done');
  assert.deepEqual([expect.message, ...where(expect)], ['expect refers to #8, but no io line declares it', 3, 8, 10]);
  // An io line with an error still declares its id: no second, misleading error.
  const { diagnostics } = parseScenario(`${HEAD}io #5 raed "\\a"\ncancel #5 at 2\nexpect #5 status STATUS_SUCCESS`);
  assert.deepEqual(diagnostics.map((d) => d.code), ['unknown-operation']);
});

test('status names are checked against the STATUS table', () => {
  const typo = only('expect #1 status STATUS_CANCELED');
  assert.deepEqual([typo.code, typo.message, ...where(typo)], ['unknown-status', "unknown status 'STATUS_CANCELED' — did you mean 'STATUS_CANCELLED'?", 3, 18, 33]);
  assert.match(typo.hint, /STATUS_SUCCESS/);
  assert.equal(only('expect #1 status CANCELLED').message, "unknown status 'CANCELLED' — did you mean 'STATUS_CANCELLED'?");
  assert.equal(only('expect #1 status STATUS_BANANA_SPLIT_WITH_SPRINKLES').message, "unknown status 'STATUS_BANANA_SPLIT_WITH_SPRINKLES'");
  assert.equal(only('expect #1 status').message, "missing status after 'status'");
  assert.equal(only('expect #1 status 0x1FFFFFFFF').message, 'status 0x1FFFFFFFF does not fit in 32 bits');
});

test('rule ids must be lowercase words joined by hyphens', () => {
  const d = only('expect violation Cpp_Bad_Status');
  assert.deepEqual([d.code, d.message, d.hint, ...where(d)], [
    'malformed-rule-id', "malformed rule id 'Cpp_Bad_Status' — did you mean 'cpp-bad-status'?",
    'Rule ids are lowercase words joined by hyphens, such as cpp-bad-status or assert.', 3, 18, 32,
  ]);
  assert.equal(only('expect no violation -x-').message, "malformed rule id '-x-' — did you mean 'x'?");
  assert.equal(only('expect violation').message, "missing rule id after 'violation'");
});

test('unknown expectations, states and io options suggest the nearest word', () => {
  const exp = only('expect violations cpp-bad-status');
  assert.deepEqual([exp.code, exp.message, ...where(exp)], ['unknown-expectation', "unknown expectation 'violations' — did you mean 'violation'?", 3, 8, 18]);
  assert.equal(only('expect no violatons').message, "unknown expectation 'no violatons' — did you mean 'violations'?");
  assert.equal(only('expect #1 stauts STATUS_SUCCESS').message, "expected 'status', 'state', 'pending' or 'granted' after #1, found 'stauts' — did you mean 'status'?");
  const state = only('expect #1 state finished');
  assert.deepEqual([state.code, state.message], ['unknown-state', "unknown io state 'finished'"]);
  assert.equal(only('expect #1 state cancelld').message, "unknown io state 'cancelld' — did you mean 'cancelled'?");
  const opt = only('io #2 read "\\a" lenght 5');
  assert.deepEqual([opt.code, opt.message, ...where(opt)], ['unknown-option', "unknown io option 'lenght' — did you mean 'length'?", 3, 17, 23]);
  assert.match(opt.hint, /Options: length, offset, at, code, class, disposition, access, share, data, input, output, to, pattern, transaction, changes, process\. Flags: fastio, paging/);
  assert.equal(only('io #2 read "\\a" fastoi').message, "unknown io option 'fastoi' — did you mean 'fastio'?");
});

test('flags and options that do not fit the operation, conflicts and repeats', () => {
  const paging = only('io #2 create "\\a" paging');
  assert.deepEqual([paging.code, paging.message, paging.hint, ...where(paging)], ['flag-not-applicable', "'paging' does not apply to create", "'paging' is only meaningful for: read, write.", 3, 19, 25]);
  const offset = only('io #2 query-info "\\a" offset 4');
  assert.deepEqual([offset.code, offset.message], ['option-not-applicable', "'offset' does not apply to query-info"]);
  const conflict = only('io #2 read "\\a" paging fastio');
  assert.deepEqual([conflict.code, conflict.message, ...where(conflict)], ['conflicting-flags', "'fastio' cannot be combined with 'paging'", 3, 24, 30]);
  const twice = only('io #2 read "\\a" at 1 at 2');
  assert.deepEqual([twice.code, twice.message, twice.hint, ...where(twice)], ['duplicate', "'at' is given twice in this io line", "Keep one 'at' (the first is at column 17).", 3, 22, 24]);
  assert.equal(only('io #2 query-info "\\a" class Basic').message, "'Basic' is not a file information class");
});

test('extra words and wrong connecting words', () => {
  const extra = only('cancel #1 at 2 now please');
  assert.deepEqual([extra.code, extra.message, ...where(extra)], ['unexpected-token', "unexpected 'now' after the cancel time", 3, 16, 26]);
  const noAt = only('cancel #1 2');
  assert.deepEqual([noAt.message, ...where(noAt)], ["expected 'at', found '2'", 3, 11, 12]);
  assert.equal(only('unload').message, 'missing time');
  assert.equal(only('file "\\a" 100').message, "expected size, content, from, folder, found '100'");
  assert.equal(only('registry "X" dwrod 1').message, "unknown registry type 'dwrod' — did you mean 'dword'?");
  assert.equal(only('workers normal 2').message, "unknown work queue 'normal'");
  assert.equal(only('define 2FAST 1').message, "'2FAST' is not a macro name");
  assert.equal(only('expect calls 1 2').message, "'1' is not a C function name");
});

test('modules named by unload and expect calls must be drivers of this scenario', () => {
  const base = 'driver "pendfilter.c"\ndriver "counting.c" altitude 320000\n';
  const unload = parseScenario(`${base}unload countng at 3`).diagnostics;
  assert.deepEqual(unload.map((d) => [d.code, d.message, ...where(d)]), [['unknown-module', "no driver is named 'countng' — did you mean 'counting'?", 3, 8, 15]]);
  assert.equal(unload[0].hint, "Drivers: pendfilter, counting. A driver's name is its .vcxproj's project name, its folder's name, or the name (without extension) of the C file that defines DriverEntry.");
  const calls = parseScenario(`${base}expect calls cuonting!PreRead 0`).diagnostics;
  assert.deepEqual(calls.map((d) => [d.message, ...where(d)]), [["no driver is named 'cuonting' — did you mean 'counting'?", 3, 14, 30]]);
});

test('file-wide checks: no driver, repeated drivers, altitudes, defines and settings', () => {
  const none = only('io #1 read "\\a"', false);
  assert.deepEqual([none.code, none.message, none.hint, ...where(none)], ['no-driver', 'this scenario names no driver', 'Add a line such as driver "myfilter.c" (the path is relative to this file).', 1, 1, 1]);
  const d = parseScenario('driver "a.c" altitude 1\ndriver "A.C"\ndriver "x/a.c" altitude 2\ndriver "b.c" altitude 1\ndefine X 1\ndefine X 2\nseed 1\nseed 2').diagnostics;
  assert.deepEqual(d.map((x) => [x.code, x.line, x.message]), [
    ['duplicate', 2, '"A.C" is already part of the driver on line 1'],
    ['duplicate', 3, "two drivers are named 'a' (the other is on line 1)"],
    ['duplicate', 4, 'altitude 1 is already used by a'],
    ['duplicate', 6, 'macro X is already given on line 5'],
    ['duplicate', 8, "'seed' is already given on line 7"],
  ]);
  // A driver line with an error is not followed by a second "no driver" complaint.
  assert.deepEqual(parseScenario('driver f.c').diagnostics.map((x) => x.code), ['missing-string']);
});

test('warnings: a cancel before its io exists, contradicting expectations', () => {
  const early = only('cancel #1 at 0');
  assert.deepEqual([early.severity, early.code, early.message, ...where(early)], ['warning', 'cancel-before-issue', 'cancel of #1 at 0 comes before the io is issued at 1', 3, 1, 15]);
  const two = only('expect #1 status STATUS_SUCCESS\nexpect #1 status STATUS_CANCELLED');
  assert.deepEqual([two.severity, two.code, two.message, two.line], ['warning', 'contradiction', '#1 cannot end with two statuses (see line 3)', 4]);
  const rule = only('expect no violation assert\nexpect violation assert');
  assert.deepEqual([rule.severity, rule.message, ...where(rule)], ['warning', 'expecting violation assert contradicts line 3, which expects none', 4, 18, 24]);
});

test('parsing continues after errors: every bad line is reported, good lines still parse', () => {
  const text = ['driver "f.c"', 'io #1 raed "\\a"', 'bogus', 'io #2 read "\\b" at 3', 'expect #2 status STATUS_SUCES', 'expect #2 state done'].join('\n');
  const { scenario, diagnostics } = parseScenario(text);
  assert.deepEqual(diagnostics.map((d) => [d.line, d.code]), [[2, 'unknown-operation'], [3, 'unknown-keyword'], [5, 'unknown-status']]);
  assert.deepEqual(scenario.ios.map((io) => io.id), [2]);
  assert.deepEqual(scenario.expectations.map((e) => e.line), [6]);
});

test('an empty file path on an io line is an error at the string (it reached the engine and threw; found by npm run fuzz)', () => {
  const d = only('io #2 read "" at 0');
  assert.equal(d.message, 'the file path is empty');
  assert.equal(d.code, 'missing-string');
  assert.deepEqual(where(d), [3, 12, 14]);
  assert.equal(only('io #2 write "   "').message, 'the file path is empty');
});
