// The linter's project pass: registrations, queues, teardown helpers and callers in other files.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { initLinter, lintText, ProjectLint, type LintResult } from '../../../engine';

const REPO = path.resolve('test/fixtures/projects/repo');
const SPLIT = ['reg.c', 'ops.c', 'queue.c', 'teardown.c'].map((f) => path.join(REPO, 'split', f));
const COUNTER = ['counter.c', 'note.c'].map((f) => path.join(REPO, 'counter', f));

const read = (f: string) => readFileSync(f, 'utf8');
const brief = (r: LintResult) => r.findings.map((f) => `${f.range.start.line + 1}:${f.range.start.column + 1} ${f.ruleId}`);

before(() => initLinter());

test('alone, a file whose teardown, unregistering and queue inserts live elsewhere gets three false positives; in its project they are gone', () => {
  const reg = SPLIT[0];
  assert.deepEqual(brief(lintText(read(reg))), ['50:14 cbdq-never-inserted', '50:14 cbdq-no-drain', '63:5 unload-no-unregister']);
  const project = new ProjectLint({ read: (f) => read(f) }, SPLIT);
  try {
    assert.deepEqual(brief(project.lint(reg, read(reg))), []);
  } finally {
    project.dispose();
  }
});

test('a pre-operation callback registered in another file gets the finding that needs that registration, pointing at it', () => {
  const ops = SPLIT[1];
  assert.deepEqual(brief(lintText(read(ops))), [], 'alone, the row that registers it is out of sight');
  const project = new ProjectLint({ read: (f) => read(f) }, SPLIT);
  try {
    const r = project.lint(ops, read(ops));
    assert.deepEqual(brief(r), ['17:9 preop-callback-without-postop']);
    assert.deepEqual(r.findings[0].related, [{ range: { start: { line: 14, column: 4 }, end: { line: 14, column: 42 } }, message: 'registered without a post-operation callback here', file: SPLIT[0] }]);
  } finally {
    project.dispose();
  }
});

test('a helper in another file called from a post-operation callback gets its DISPATCH_LEVEL entry', () => {
  const note = COUNTER[1];
  assert.deepEqual(brief(lintText(read(note))), []);
  const project = new ProjectLint({ read: (f) => read(f) }, COUNTER);
  try {
    const r = project.lint(note, read(note));
    assert.deepEqual(brief(r), ['8:23 postop-irql-unsafe-call', '10:9 postop-irql-unsafe-call']);
    assert.match(r.findings[0].message, /CounterPostWrite is a post-operation callback and may run at DISPATCH_LEVEL \(via CounterPostWrite → CounterNote\)/);
    assert.deepEqual(r.findings[0].related.map((x) => [path.basename(x.file ?? ''), x.range.start.line + 1, x.message]), [['counter.c', 35, 'called from CounterPostWrite here']]);
  } finally {
    project.dispose();
  }
});

test('an edit to one file changes what the others see; the summary of unchanged files is reused', () => {
  const texts = new Map(SPLIT.map((f) => [f, read(f)]));
  const reads: string[] = [];
  const project = new ProjectLint({ read: (f) => { reads.push(f); return texts.get(f); } }, SPLIT);
  try {
    const reg = SPLIT[0];
    assert.deepEqual(brief(project.lint(reg, texts.get(reg)!)), []);
    // The teardown file stops draining: the queue set up in reg.c is never emptied.
    const teardown = SPLIT[3];
    texts.set(teardown, texts.get(teardown)!.replace('Drain(inst);', '/* no drain */'));
    project.changed(teardown);
    reads.length = 0;
    assert.deepEqual(brief(project.lint(reg, texts.get(reg)!)), ['50:14 cbdq-no-drain']);
    assert.deepEqual(reads, [teardown], 'only the changed file is read again');
  } finally {
    project.dispose();
  }
});

test('an edit recomputes the summaries of the files it concerns only (a new call elsewhere, a call to one helper)', () => {
  const dir = '/virtual/proportional';
  const texts = new Map<string, string>([
    [`${dir}/main.c`, '#include <fltKernel.h>\nVOID MainWork(VOID)\n{\n    HelperOne();\n}\n'],
    [`${dir}/one.c`, '#include <fltKernel.h>\nVOID HelperOne(VOID)\n{\n    KeStallExecutionProcessor(1);\n}\n'],
    [`${dir}/two.c`, '#include <fltKernel.h>\nVOID HelperTwo(VOID)\n{\n    KeStallExecutionProcessor(2);\n}\n'],
    [`${dir}/three.c`, '#include <fltKernel.h>\nVOID HelperThree(VOID)\n{\n    KeStallExecutionProcessor(3);\n}\n'],
  ]);
  const main = `${dir}/main.c`;
  const project = new ProjectLint({ read: (f) => texts.get(f) }, [...texts.keys()]);
  try {
    project.lint(main, texts.get(main)!);
    assert.equal(project.summaryRuns, 3, 'the first lint reads the three other files once each');
    // A call to a routine no file of the project defines concerns none of them.
    let text = texts.get(main)!.replace('HelperOne();', 'HelperOne();\n    KeStallExecutionProcessor(9);');
    project.lint(main, text);
    assert.equal(project.summaryRuns, 3);
    // Now main.c calls HelperTwo: two.c's summary (who calls its functions) is read again, one.c's and three.c's are not.
    text = text.replace('HelperOne();', 'HelperOne();\n    HelperTwo();');
    project.lint(main, text);
    assert.equal(project.summaryRuns, 4);
  } finally {
    project.dispose();
  }
});
