import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver/node';
import type { Finding, LintOptions, LintResult } from '../../../engine';
import { docLinks } from '../../../extension/server/docLinks';
import { DocumentChecks, documentKind, type CheckHost, type Linter, type OpenDocument } from '../../../extension/server/documentChecks';
import { DEFAULT_SETTINGS, type LintSettings } from '../../../extension/server/settings';

const URI = 'file:///drv/a.c';

function finding(line: number): Finding {
  return { ruleId: 'wi-bad-queue-type', severity: 'error', range: { start: { line, column: 0 }, end: { line, column: 4 } }, message: 'm', related: [], fixes: [] };
}

/** A linter that reports one finding per line containing BAD, and throws on BOOM. */
class FakeLinter implements Linter {
  static created = 0;
  updates: string[] = [];
  options: LintOptions[] = [];
  disposed = false;
  constructor() {
    FakeLinter.created++;
  }
  update(text: string): LintResult {
    this.updates.push(text);
    if (text.includes('BOOM')) throw new Error('rule exploded');
    const findings = text.split('\n').flatMap((l, i) => (l.includes('BAD') ? [finding(i)] : []));
    const internalErrors = text.split('FAULT').length - 1;
    return { findings, notes: [], stats: { functions: 0, analyzed: 0, unparsed: 0, internalErrors } };
  }
  setOptions(o: LintOptions): void {
    this.options.push(o);
  }
  dispose(): void {
    this.disposed = true;
  }
}

interface Harness {
  checks: DocumentChecks;
  docs: Map<string, OpenDocument>;
  published: { uri: string; version: number | undefined; diagnostics: Diagnostic[] }[];
  logs: string[];
  linters: FakeLinter[];
  set(uri: string, languageId: string, version: number, text: string): void;
}

function harness(over: Partial<CheckHost> = {}): Harness {
  const docs = new Map<string, OpenDocument>();
  const published: Harness['published'] = [];
  const logs: string[] = [];
  const linters: FakeLinter[] = [];
  const checks = new DocumentChecks({
    document: (uri) => docs.get(uri),
    settings: async () => DEFAULT_SETTINGS,
    publish: (uri, version, diagnostics) => published.push({ uri, version, diagnostics }),
    log: (m) => logs.push(m),
    linterReady: Promise.resolve(true),
    createLinter: () => {
      const l = new FakeLinter();
      linters.push(l);
      return l;
    },
    links: docLinks({ extensionRoot: '/ext' }),
    delayMs: 15,
    ...over,
  });
  return {
    checks, docs, published, logs, linters,
    set: (uri, languageId, version, text) => docs.set(uri, { languageId, version, getText: () => text }),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function settle(h: Harness, ms = 40): Promise<void> {
  await sleep(ms);
  await h.checks.idle();
}

test('languages: C and C++ are linted, fltsim is checked, others are left alone', () => {
  assert.equal(documentKind('c'), 'c');
  assert.equal(documentKind('cpp'), 'c');
  assert.equal(documentKind('fltsim'), 'fltsim');
  assert.equal(documentKind('plaintext'), undefined);
});

test('changes in quick succession are linted once, for the last version', async () => {
  const h = harness();
  for (let v = 1; v <= 3; v++) {
    h.set(URI, 'c', v, `int x;\nBAD ${v}\n`);
    h.checks.schedule(URI);
    // Yield to pending promises but not to timers: real sleeps here let a loaded machine pass the
    // 15 ms debounce between two edits, and the test then saw two lints.
    await Promise.resolve();
  }
  await settle(h);
  assert.equal(h.published.length, 1);
  assert.equal(h.published[0].version, 3);
  assert.deepEqual(h.published[0].diagnostics.map((d) => [d.code, d.range.start.line, d.codeDescription?.href]), [['wi-bad-queue-type', 1, 'file:///ext/docs/rules/wi-bad-queue-type.md']]);
  assert.deepEqual(h.linters[0].updates, ['int x;\nBAD 3\n']);
  assert.deepEqual(h.checks.published(URI), { version: 3, findings: [finding(1)] });
});

test('the same LintDocument serves every update of a document', async () => {
  const h = harness({ delayMs: 0 });
  h.set(URI, 'c', 1, 'BAD');
  h.checks.schedule(URI);
  await settle(h, 5);
  h.set(URI, 'c', 2, 'ok');
  h.checks.schedule(URI);
  await settle(h, 5);
  assert.equal(h.linters.length, 1);
  assert.deepEqual(h.linters[0].updates, ['BAD', 'ok']);
  assert.deepEqual(h.published.map((p) => [p.version, p.diagnostics.length]), [[1, 1], [2, 0]]);
});

test('a linter that throws is logged, publishes nothing, and is replaced on the next change', async () => {
  const h = harness({ delayMs: 0 });
  h.set(URI, 'c', 1, 'BAD');
  h.checks.schedule(URI);
  await settle(h, 5);
  h.set(URI, 'c', 2, 'BOOM');
  h.checks.schedule(URI);
  await settle(h, 5);
  assert.deepEqual(h.published.map((p) => p.version), [1], 'the crash publishes nothing new');
  assert.match(h.logs[0], /linting file:\/\/\/drv\/a\.c \(version 2\) failed.*rule exploded/s);
  assert.equal(h.linters[0].disposed, true);
  assert.equal(h.checks.published(URI)?.version, 1);
  h.set(URI, 'c', 3, 'BAD\nBAD');
  h.checks.schedule(URI);
  await settle(h, 5);
  assert.equal(h.linters.length, 2);
  assert.deepEqual(h.published.map((p) => [p.version, p.diagnostics.length]), [[1, 1], [3, 2]]);
});

test('rule checks that failed inside the linter are logged once per new count', async () => {
  const h = harness({ delayMs: 0 });
  for (const [v, text] of [[1, 'BAD FAULT'], [2, 'BAD FAULT '], [3, 'FAULT FAULT'], [4, 'ok']] as const) {
    h.set(URI, 'c', v, text);
    h.checks.schedule(URI);
    await settle(h, 5);
  }
  assert.equal(h.logs.length, 2);
  assert.match(h.logs[0], /^fltsim: 1 rule check failed inside the linter on file:\/\/\/drv\/a\.c/);
  assert.match(h.logs[1], /^fltsim: 2 rule checks failed/);
  assert.deepEqual(h.published.map((p) => p.version), [1, 2, 3, 4], 'the other findings are still published');
});

test('a run overtaken while it waits for settings publishes nothing', async () => {
  const pending: ((s: LintSettings) => void)[] = [];
  const h = harness({ delayMs: 0, settings: () => new Promise<LintSettings>((resolve) => pending.push(resolve)) });
  h.set(URI, 'c', 1, 'BAD');
  h.checks.schedule(URI);
  await sleep(5);
  h.set(URI, 'c', 2, 'BAD\nBAD');
  h.checks.schedule(URI);
  await sleep(5);
  assert.equal(pending.length, 2);
  pending[0](DEFAULT_SETTINGS);
  await sleep(5);
  assert.equal(h.published.length, 0, 'the stale run stops');
  pending[1](DEFAULT_SETTINGS);
  await settle(h, 5);
  assert.deepEqual(h.published.map((p) => [p.version, p.diagnostics.length]), [[2, 2]]);
  assert.deepEqual(h.linters[0].updates, ['BAD\nBAD'], 'the stale run never linted');
});

test('lint.enable false clears the diagnostics and frees the document\'s tree', async () => {
  let settings: LintSettings = { enable: true, severity: { 'wi-bad-queue-type': 'info' } };
  const h = harness({ delayMs: 0, settings: async () => settings });
  h.set(URI, 'c', 1, 'BAD');
  h.checks.schedule(URI);
  await settle(h, 5);
  assert.equal(h.published[0].diagnostics[0].severity, 3);
  assert.deepEqual(h.linters[0].options, [{ severities: { 'wi-bad-queue-type': 'warning' } }]);
  settings = { enable: false, severity: {} };
  h.checks.scheduleAll();
  await settle(h, 5);
  assert.deepEqual(h.published.map((p) => [p.version, p.diagnostics.length]), [[1, 1], [1, 0]]);
  assert.equal(h.linters[0].disposed, true);
  assert.deepEqual(h.checks.published(URI), { version: 1, findings: [] });
});

test('closing cancels pending work and clears the diagnostics', async () => {
  const h = harness();
  h.set(URI, 'c', 1, 'BAD');
  h.checks.schedule(URI);
  h.checks.close(URI);
  await settle(h);
  assert.deepEqual(h.published, [{ uri: URI, version: undefined, diagnostics: [] }]);
  assert.equal(h.checks.published(URI), undefined);
});

test('without the C grammar, C documents get nothing and scenarios still work', async () => {
  const h = harness({ delayMs: 0, linterReady: Promise.resolve(false), files: { readFile: (p) => (p.endsWith('here.c') ? '' : undefined) } });
  h.set(URI, 'c', 1, 'BAD');
  h.set('file:///drv/s.fltsim', 'fltsim', 7, 'driver "here.c"\ndriver "gone.c"\n');
  h.checks.schedule(URI);
  h.checks.schedule('file:///drv/s.fltsim');
  await settle(h, 5);
  assert.equal(h.linters.length, 0);
  assert.equal(h.published.length, 1);
  assert.equal(h.published[0].version, 7);
  assert.deepEqual(h.published[0].diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character, d.range.end.character]), [['missing-file', 1, 7, 15]]);
});
