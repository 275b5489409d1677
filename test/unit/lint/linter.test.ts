// The linter as the language server and the CLI drive it: options, suppressions, quick fixes,
// incremental re-linting, and robustness on text it cannot understand.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { disableNextLineEdit, initLinter, lintLanguageOf, lintText, LintDocument, validateOptions, type Finding } from '../../../engine/lint';
import { fixtureDirs, readFixture } from './fixtures';

before(async () => {
  await initLinter();
});

const brief = (fs: readonly Finding[]) => fs.map((f) => `${f.ruleId}@${f.range.start.line + 1}:${f.range.start.column + 1}-${f.range.end.line + 1}:${f.range.end.column + 1} ${f.severity} ${f.message}`);

test('severity overrides change the level, and off removes the rule', () => {
  const text = readFixture('deferred-wi-non-irp', 'bad.c');
  const plain = lintText(text).findings;
  assert.deepEqual(plain.map((f) => `${f.ruleId}:${f.severity}`).sort(), ['deferred-wi-non-irp:error', 'preop-pending-non-irp:error']);
  const tuned = lintText(text, { severities: { 'deferred-wi-non-irp': 'warning', 'preop-pending-non-irp': 'off' } }).findings;
  assert.deepEqual(tuned.map((f) => `${f.ruleId}:${f.severity}`), ['deferred-wi-non-irp:warning']);
});

test('validateOptions names unknown rules and bad levels', () => {
  assert.deepEqual(validateOptions({ severities: { 'wi-bad-queue-type': 'off' } }), []);
  const problems = validateOptions({ severities: { 'no-such-rule': 'off', 'cpp-irql': 'loud' as never } });
  assert.equal(problems.length, 2);
  assert.match(problems[0], /unknown rule id 'no-such-rule'/);
  assert.match(problems[1], /severity of 'cpp-irql' must be off, warning or error/);
});

test('suppression comments: next line with several ids, same line without ids', () => {
  const base = readFixture('reg-struct', 'bad.c').split('\n');
  const powerRow = base.findIndex((l) => l.includes('IRP_MJ_POWER'));
  const sizeRow = base.findIndex((l) => l.includes('.Size = 0x68'));
  const lines = [...base];
  lines[sizeRow] = `${lines[sizeRow]} // fltsim-disable-line`;
  lines.splice(powerRow, 0, '    // fltsim-disable-next-line cpp-irql, reg-struct -- this filter really wants power IRPs');
  const ids = lintText(lines.join('\n')).findings.map((f) => `${f.ruleId}@${f.range.start.line}`);
  assert.equal(ids.length, lintText(base.join('\n')).findings.length - 2);
  assert.ok(!ids.some((x) => x === `reg-struct@${powerRow + 1}` || x === `reg-struct@${sizeRow + 1}`));
});

/** Applies edits given in line/column form to a text. */
function applyEdits(text: string, edits: Finding['fixes'][number]['edits']): string {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const at = (p: { line: number; column: number }) => starts[p.line] + p.column;
  let out = text;
  for (const e of [...edits].sort((a, b) => at(b.range.start) - at(a.range.start))) {
    out = out.slice(0, at(e.range.start)) + e.newText + out.slice(at(e.range.end));
  }
  return out;
}

test('every quick fix offered on the fixtures removes its finding and adds none of the same rule', () => {
  let fixes = 0;
  for (const dir of fixtureDirs()) {
    for (const file of dir.files) {
      const text = readFixture(dir.rule, file);
      for (const f of lintText(text).findings) {
        for (const fix of f.fixes) {
          fixes++;
          const after = lintText(applyEdits(text, fix.edits)).findings.filter((x) => x.ruleId === f.ruleId);
          const before = lintText(text).findings.filter((x) => x.ruleId === f.ruleId);
          assert.equal(after.length, before.length - 1, `${dir.rule}/${file}: '${fix.title}' must fix exactly its finding`);
        }
      }
    }
  }
  assert.ok(fixes >= 5, `quick fixes exercised: ${fixes}`);
});

test('the NULL-check fix inserts a skeleton that returns the failure value of the function', () => {
  const text = readFixture('wi-alloc-null-unchecked', 'bad.c');
  const [finding] = lintText(text).findings;
  const fixed = applyEdits(text, finding.fixes[0].edits);
  assert.match(fixed, /PFLT_GENERIC_WORKITEM item = FltAllocateGenericWorkItem\(\);\n {4}if \(item == NULL\) \{\n {8}return STATUS_INSUFFICIENT_RESOURCES;\n {4}\}\n/);
});

test('related locations point at the other end of the mistake', () => {
  const [f] = lintText(readFixture('cbdq-lock-irql', 'bad.c')).findings;
  const text = readFixture('cbdq-lock-irql', 'bad.c').split('\n');
  const lockLine = text.findIndex((l) => l.includes('KeAcquireSpinLock(&Ctx->StatsLock'));
  assert.ok(f.related.some((r) => r.range.start.line === lockLine && /spin lock acquired here/.test(r.message)));
});

// Edits a document the way an editor does and checks the incremental result against a fresh lint.
const EDITS = [
  (lines: string[], i: number) => { lines[i] = `${lines[i]} /* touched */`; },
  (lines: string[], i: number) => { lines.splice(i, 0, ''); },
  (lines: string[], i: number) => { if (lines.length > 5) lines.splice(i, 1); },
  (lines: string[], i: number) => { lines[i] = lines[i].replace('NT_SUCCESS', '!NT_SUCCESS'); },
  (lines: string[], i: number) => { lines[i] = lines[i].replace(/;\s*$/, ''); },
  (lines: string[], i: number) => { lines[i] = lines[i].replace('DelayedWorkQueue', 'HyperCriticalWorkQueue'); },
  (lines: string[], i: number) => { lines.splice(i, 0, '    return FLT_PREOP_PENDING;'); },
];

test('property: incremental re-lint after any sequence of edits equals a fresh lint', () => {
  const sources = ['cbdq-no-drain/bad.c', 'deferred-wi-non-irp/bad.c', 'ctx-ref-leak/good.c', 'postop-irql-unsafe-call/bad.c', 'reg-struct/bad.c'].map((p) => {
    const [dir, file] = p.split('/');
    return readFixture(dir, file);
  });
  fc.assert(fc.property(
    fc.integer({ min: 0, max: sources.length - 1 }),
    fc.array(fc.tuple(fc.integer({ min: 0, max: EDITS.length - 1 }), fc.nat()), { minLength: 1, maxLength: 8 }),
    (which, steps) => {
      const doc = new LintDocument();
      try {
        let lines = sources[which].split('\n');
        doc.update(lines.join('\n'));
        for (const [kind, at] of steps) {
          lines = [...lines];
          EDITS[kind](lines, at % lines.length);
          const text = lines.join('\n');
          assert.deepEqual(brief(doc.update(text).findings), brief(lintText(text).findings));
        }
      } finally {
        doc.dispose();
      }
    },
  ), { numRuns: 60 });
});

test('a document can be re-linted with new options without losing its cache', () => {
  const doc = new LintDocument();
  const text = readFixture('wi-bad-queue-type', 'bad.c');
  assert.equal(doc.update(text).findings.length, 1);
  doc.setOptions({ severities: { 'wi-bad-queue-type': 'off' } });
  assert.equal(doc.update(text).findings.length, 0);
  doc.setOptions({});
  assert.equal(doc.update(text).findings.length, 1);
  doc.dispose();
});

const cTokens = fc.constantFrom(
  'if', 'else', 'while', 'for', 'switch', 'case 1:', 'default:', 'goto L;', 'L:', 'return', 'break;', '{', '}', '(', ')', ';', ',',
  '=', '==', '!', '&&', '||', '->', '.', '*', '&', 'x', 'Data', 'status', 'NULL', '0', 'FLT_PREOP_PENDING', 'FltQueueGenericWorkItem(',
  'FltGetStreamContext(', 'FltReleaseContext(', 'KeAcquireSpinLock(', 'try', 'finally', '__try', '#if 0\n', '#endif\n', '"s"', '/*', '*/',
  'FLT_PREOP_CALLBACK_STATUS PreRead(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS O, PVOID *C) {',
  'CONST FLT_OPERATION_REGISTRATION Callbacks[] = { { IRP_MJ_READ, 0, PreRead, NULL }, ',
);

test('property: lintText never throws, whatever the text', () => {
  fc.assert(fc.property(fc.array(cTokens, { maxLength: 80 }), fc.string({ maxLength: 60 }), (toks, noise) => {
    const text = `${toks.join(' ')}\n${noise}`;
    const result = lintText(text);
    assert.equal(result.stats.internalErrors, 0);
    for (const f of result.findings) {
      assert.ok(f.range.start.line >= 0 && f.range.end.line >= f.range.start.line);
      assert.ok(f.message.length > 0);
    }
  }), { numRuns: 200 });
});

test('the disable-next-line edit silences exactly the rule it names, and extends an existing comment', () => {
  const text = readFixture('deferred-wi-non-irp', 'bad.c');
  const findings = lintText(text).findings;
  const first = findings.find((f) => f.ruleId === 'deferred-wi-non-irp')!;
  const once = applyEdits(text, [disableNextLineEdit(text, first.range.start.line, first.ruleId)]);
  assert.deepEqual(lintText(once).findings.map((f) => f.ruleId), ['preop-pending-non-irp']);
  const line = once.split('\n').findIndex((l) => l.includes('fltsim-disable-next-line deferred-wi-non-irp'));
  assert.match(once.split('\n')[line], /^ {4}\/\/ fltsim-disable-next-line deferred-wi-non-irp$/);
  // A second id for the same line goes into the same comment.
  const again = applyEdits(once, [disableNextLineEdit(once, line + 1, 'cpp-irql')]);
  assert.equal(again.split('\n')[line], '    // fltsim-disable-next-line deferred-wi-non-irp, cpp-irql');
  assert.equal(applyEdits(again, [disableNextLineEdit(again, line + 1, 'cpp-irql')]), again, 'an id already there is not added twice');
});

test('a related location in another function follows an edit inside that function (found by npm run fuzz)', () => {
  const text = readFixture('cbdq-lock-irql', 'bad.c');
  const lines = text.split('\n');
  const init = lines.findIndex((l) => l.includes('FltCbdqInitialize('));
  // A blank line inside InstanceSetup, above the call: PreRead's text is unchanged, but the queue's site moved.
  const edited = [...lines.slice(0, init), '', ...lines.slice(init)].join('\n');
  const doc = new LintDocument();
  try {
    doc.update(text);
    const incremental = doc.update(edited).findings;
    const site = (fs: typeof incremental) => fs.flatMap((f) => f.related).filter((r) => r.message === 'queue initialized here').map((r) => r.range.start.line);
    assert.ok(site(incremental).length > 0, 'the finding points at the queue');
    assert.deepEqual(site(incremental), site(lintText(edited).findings));
    assert.ok(site(incremental).every((l) => l === init + 1));
  } finally {
    doc.dispose();
  }
});

test('a related location outside any function (#pragma alloc_text) follows lines inserted above it (found by npm run fuzz)', () => {
  const text = readFixture('postop-pageable', 'bad.c');
  const edited = `#define UNUSED_ONE 1\n#define UNUSED_TWO 2\n${text}`;
  const doc = new LintDocument();
  try {
    doc.update(text);
    const pageable = (fs: Finding[]) => fs.flatMap((f) => f.related).filter((r) => r.message === 'made pageable here').map((r) => r.range.start.line);
    const incremental = pageable(doc.update(edited).findings);
    assert.ok(incremental.length > 0);
    assert.deepEqual(incremental, pageable(lintText(edited).findings));
    assert.deepEqual(incremental, pageable(lintText(text).findings).map((l) => l + 2));
  } finally {
    doc.dispose();
  }
});

test('an edit that breaks the syntax gives the findings a fresh lint gives, whatever tree-sitter reuses (found by npm run fuzz)', () => {
  const text = readFixture('postop-irql-unsafe-call', 'bad-shared.c');
  const edited = text.replace('Data->Iopb->MajorFunction == IRP_MJ_CREATE', 'Data->Iopb->MajorFun for (;;) {} ction == IRP_MJ_CREATE');
  assert.notEqual(edited, text);
  const doc = new LintDocument();
  try {
    doc.update(text);
    const incremental = doc.update(edited);
    const fresh = lintText(edited);
    assert.deepEqual(incremental.findings, fresh.findings);
    assert.deepEqual(incremental.notes, fresh.notes);
    assert.deepEqual(doc.update(text).findings, lintText(text).findings, 'and back again');
  } finally {
    doc.dispose();
  }
});

test('code that cannot be parsed is a note naming its line, the construct and the function skipped', () => {
  const r = lintText('#include <fltKernel.h>\nNTSTATUS Ok(VOID) { return STATUS_SUCCESS; }\nNTSTATUS Broken(PVOID p)\n{\n    int x = @@ 3;\n    return STATUS_SUCCESS;\n}\n');
  assert.equal(r.stats.unparsed, 0, 'no rule looked at Broken closely');
  assert.deepEqual(r.notes.map((n) => [n.range.start.line + 1, n.range.start.column + 1, n.construct, n.function]), [[5, 13, '@@', 'Broken']]);
  assert.equal(r.notes[0].message, 'fltsim could not parse `@@` (line 5) in Broken; the checks that follow its paths skip Broken');
  const top = lintText('#include <fltKernel.h>\nint a = ;\n');
  assert.deepEqual(top.notes.map((n) => [n.range.start.line + 1, n.function]), [[2, undefined]]);
  assert.match(top.notes[0].message, /^fltsim could not parse `.*` \(line 2\); the code it covers was not checked$/);
  assert.deepEqual(lintText('#include <fltKernel.h>\nVOID F(VOID) { }\n').notes, []);
});

test('C++ sources are read with the C++ grammar: functions in namespaces and classes, registration by qualified name', () => {
  const text = readFixture('postop-draining', 'bad-class.cpp');
  const asCpp = lintText(text, {}, 'cpp');
  assert.deepEqual(asCpp.notes, []);
  assert.deepEqual(asCpp.findings.map((f) => `${f.ruleId}@${f.range.start.line + 1}`), ['postop-draining@32', 'postop-draining@36']);
  assert.ok(lintText(text, {}, 'c').notes.length > 0, 'the C grammar cannot read it');
});

test('the grammar follows the file: .cpp/.cc/.cxx/.hpp, and headers that use C++ constructs', () => {
  assert.equal(lintLanguageOf('a/b.cpp'), 'cpp');
  assert.equal(lintLanguageOf('a/b.CC'), 'cpp');
  assert.equal(lintLanguageOf('a/b.c'), 'c');
  assert.equal(lintLanguageOf('a/b.h', 'typedef struct _X { int a; } X;\n'), 'c');
  assert.equal(lintLanguageOf('a/b.h', 'namespace flt {\nint a;\n}\n'), 'cpp');
  assert.equal(lintLanguageOf('a/b.h', 'template <class T> T Max(T a, T b);\n'), 'cpp');
});

test('a routine passed by name whose definition an edit breaks is not judged from its old text (found by npm run fuzz)', () => {
  const text = readFixture('wi-routine-mismatch', 'bad.c');
  // The fuzz input as found: the fixture with lines swapped inside JobRoutine and garbage inserted.
  const edited = readFileSync(join(__dirname, '..', '..', 'fixtures', 'fuzz', 'routine-by-name-broken.c'), 'utf8');
  assert.notEqual(edited, text);
  const doc = new LintDocument();
  try {
    assert.ok(doc.update(text).findings.some((f) => f.ruleId === 'wi-routine-mismatch'));
    const incremental = doc.update(edited);
    const fresh = lintText(edited);
    assert.deepEqual(incremental.findings, fresh.findings);
    assert.deepEqual(incremental.notes, fresh.notes);
  } finally {
    doc.dispose();
  }
});

test('a kept FltObjects is re-judged when an edit removes the only function reading it back (found by npm run fuzz)', () => {
  const text = readFixture('related-objects-kept', 'bad.c');
  // The fuzz input as found: the fixture with garbage in PostWrite's prototype, cut off inside PostWrite.
  const truncated = readFileSync(join(__dirname, '..', '..', 'fixtures', 'fuzz', 'related-objects-reader-truncated.c'), 'utf8');
  // The same with valid C: PostWrite no longer reads ctx->Objects back (PreWrite's text is unchanged).
  const noReader = text.replace('Account(ctx->Objects->Instance, ctx->Length);', 'Account(NULL, ctx->Length);');
  assert.notEqual(noReader, text);
  for (const [name, edited] of [['truncated', truncated], ['no reader', noReader]]) {
    const doc = new LintDocument();
    try {
      assert.ok(doc.update(text).findings.some((f) => f.ruleId === 'related-objects-kept'), name);
      const incremental = doc.update(edited);
      const fresh = lintText(edited);
      assert.ok(!fresh.findings.some((f) => f.ruleId === 'related-objects-kept'), `${name}: nothing reads the kept pointer back`);
      assert.deepEqual(incremental.findings, fresh.findings, name);
      assert.deepEqual(incremental.notes, fresh.notes, name);
      assert.deepEqual(doc.update(text).findings, lintText(text).findings, `${name}: and back again`);
    } finally {
      doc.dispose();
    }
  }
});
