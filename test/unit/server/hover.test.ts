import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiInfo, Irql } from '../../../engine';
import { docLinks } from '../../../extension/server/docLinks';
import { apiHoverMarkdown, hoverAt, identifierAt, irqlBoundText, ruleHoverMarkdown } from '../../../extension/server/hover';

const links = docLinks({ extensionRoot: '/ext' });

test('identifierAt finds the word under or just before the cursor', () => {
  const line = '    s = FltQueueGenericWorkItem(item, 0x10);';
  assert.deepEqual(identifierAt(line, 8), { text: 'FltQueueGenericWorkItem', start: 8, end: 31 });
  assert.deepEqual(identifierAt(line, 31), { text: 'FltQueueGenericWorkItem', start: 8, end: 31 });
  assert.equal(identifierAt(line, 2), undefined);
  assert.equal(identifierAt(line, 39), undefined, 'a number is not an identifier');
});

test('conditional IRQL bounds are spelled out', () => {
  assert.match(irqlBoundText('cpp'), /`DISPATCH_LEVEL` with `FLT_PREOP_COMPLETE`; at most `APC_LEVEL` with/);
  assert.match(irqlBoundText('cbdq'), /spin lock.*`DISPATCH_LEVEL`|`DISPATCH_LEVEL` when the queue's Acquire callback takes a spin lock/);
  assert.match(irqlBoundText('any'), /any IRQL/);
  assert.equal(irqlBoundText(Irql.PASSIVE_LEVEL), '`PASSIVE_LEVEL` only.');
  assert.equal(irqlBoundText(Irql.APC_LEVEL), 'at most `APC_LEVEL`.');
});

test('a routine hover has summary, bound, caller rules and linked lint rules', () => {
  const md = apiHoverMarkdown(apiInfo('FltCompletePendedPreOperation')!, links);
  assert.match(md, /^\*\*FltCompletePendedPreOperation\*\*\n\nHands a pended pre-operation back/);
  assert.match(md, /\*\*IRQL:\*\* depends on CallbackStatus/);
  assert.match(md, /- Context must be NULL unless/);
  assert.match(md, /\[cpp-bad-status\]\(file:\/\/\/ext\/docs\/rules\/cpp-bad-status\.md\)/);
  const alloc = apiHoverMarkdown(apiInfo('FltAllocateGenericWorkItem')!, links);
  assert.match(alloc, /- Look at the result/);
  const wait = apiHoverMarkdown(apiInfo('KeWaitForSingleObject')!, links);
  assert.match(wait, /never call it while holding a spin lock/);
});

test('rule hovers: lint, runtime-only, unknown', () => {
  assert.match(ruleHoverMarkdown('name-info', links)!, /^\*\*name-info\*\* · lint rule · /);
  assert.match(ruleHoverMarkdown('list-corrupt', links)!, /^\*\*list-corrupt\*\* · runtime rule · error[\s\S]*the linter does not check it/);
  assert.equal(ruleHoverMarkdown('no-such-rule', links), undefined);
});

test('hoverAt: rule ids in disable comments, routine names, nothing elsewhere', () => {
  const line = 'Queue(); // fltsim-disable-line wi-bad-queue-type, cpp-irql -- FltQueueGenericWorkItem';
  const rule = hoverAt('c', line, 7, line.indexOf('cpp-irql') + 3, links)!;
  assert.deepEqual(rule.range, { start: { line: 7, character: line.indexOf('cpp-irql') }, end: { line: 7, character: line.indexOf('cpp-irql') + 8 } });
  assert.match((rule.contents as { value: string }).value, /^\*\*cpp-irql\*\*/);
  // After `--` is a reason, not ids: the routine name there gets the routine hover.
  const api = hoverAt('c', line, 7, line.lastIndexOf('Flt') + 2, links)!;
  assert.match((api.contents as { value: string }).value, /^\*\*FltQueueGenericWorkItem\*\*/);
  assert.equal(hoverAt('c', line, 7, 2, links), null);
  assert.equal(hoverAt('c', '// fltsim-disable-next-line not-a-rule', 0, 30, links), null);
});

test('hoverAt in a scenario: expect violation ids and routine names', () => {
  const rule = hoverAt('fltsim', 'expect violation wi-free-mismatch  // comment', 3, 20, links)!;
  assert.deepEqual(rule.range, { start: { line: 3, character: 17 }, end: { line: 3, character: 33 } });
  const api = hoverAt('fltsim', 'expect calls FltQueueGenericWorkItem 1', 0, 15, links);
  assert.ok(api);
  assert.equal(hoverAt('fltsim', 'expect violation wi-free-mismatch', 0, 3, links), null);
});
