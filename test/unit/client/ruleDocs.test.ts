import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { isRuleId, ruleDocPath, ruleIdsFromFileNames, ruleTitle } from '../../../extension/client/ruleDocs';
import { initInvocation, lintInvocation, runScenarioInvocation } from '../../../extension/client/cliInvocation';

test('rule ids come from docs/rules file names; other files are ignored', () => {
  assert.deepEqual(ruleIdsFromFileNames(['wi-bad-queue-type.md', 'README.md', 'index.md', 'cpp-bad-status.md', 'notes.txt', 'Bad_Name.md']),
    ['cpp-bad-status', 'wi-bad-queue-type']);
  assert.deepEqual(ruleIdsFromFileNames([]), []);
});

test('rule pages resolve inside the extension, and malformed ids do not', () => {
  const root = path.resolve('/ext');
  assert.equal(ruleDocPath(root, 'cpp-irql'), path.join(root, 'docs', 'rules', 'cpp-irql.md'));
  assert.equal(ruleDocPath(root, '../secrets'), undefined);
  assert.equal(isRuleId('wi-bad-queue-type'), true);
  assert.equal(isRuleId('wi--bad'), false);
});

test('rule page title is its first heading', () => {
  assert.equal(ruleTitle('intro\n# `wi-bad-queue-type` — Work item queued on a reserved queue\nmore'), 'Work item queued on a reserved queue');
  assert.equal(ruleTitle('# wi-bad-queue-type: reserved queue'), 'reserved queue');
  assert.equal(ruleTitle('# All rules'), 'All rules');
  assert.equal(ruleTitle('no heading'), undefined);
});

test('run and lint invocations run the bundled CLI with the host runtime as Node', () => {
  const ext = path.resolve('/ext');
  const scen = path.resolve('/ws/a/read.fltsim');
  const run = runScenarioInvocation('/usr/bin/node', ext, scen, 5);
  assert.deepEqual(run.args, [path.join(ext, 'dist', 'cli.js'), 'run', scen, '--seed', '5']);
  assert.equal(run.cwd, path.dirname(scen));
  assert.equal(run.env.ELECTRON_RUN_AS_NODE, '1');
  assert.deepEqual(runScenarioInvocation('/n', ext, scen).args.slice(1), ['run', scen]);
  const lint = lintInvocation('/usr/bin/node', ext, path.resolve('/ws'));
  assert.deepEqual(lint.args, [path.join(ext, 'dist', 'cli.js'), 'lint', path.resolve('/ws')]);
  assert.equal(lint.label, 'fltsim lint ws');
});

test('the init invocation asks for JSON, and replaces an existing scenario only when told to', () => {
  const ext = path.resolve('/ext');
  const proj = path.resolve('/ws/drv/drv.vcxproj');
  const init = initInvocation('/usr/bin/node', ext, proj);
  assert.deepEqual(init.args, [path.join(ext, 'dist', 'cli.js'), 'init', proj, '--json']);
  assert.equal(init.cwd, path.dirname(proj));
  assert.equal(init.env.ELECTRON_RUN_AS_NODE, '1');
  assert.deepEqual(initInvocation('/n', ext, proj, true).args.slice(1), ['init', proj, '--json', '--force']);
});
