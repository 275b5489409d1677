import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DiagnosticSeverity } from 'vscode-languageserver/node';
import { LINT_RULES } from '../../../engine';
import { DEFAULT_SETTINGS, diagnosticSeverity, readLintSettings, SEVERITY_OVERRIDES, toLintOptions } from '../../../extension/server/settings';
import { SettingsSource } from '../../../extension/server/configuration';

test('settings nested the VS Code way are read', () => {
  const { settings, problems } = readLintSettings({ lint: { enable: false, severity: { 'wi-bad-queue-type': 'info', 'cpp-irql': 'off' } }, trace: { server: 'off' } });
  assert.deepEqual(settings, { enable: false, severity: { 'wi-bad-queue-type': 'info', 'cpp-irql': 'off' } });
  assert.deepEqual(problems, []);
});

test('flat dotted keys are read too', () => {
  const { settings } = readLintSettings({ 'lint.enable': false, 'lint.severity': { 'cpp-irql': 'warning' } });
  assert.deepEqual(settings, { enable: false, severity: { 'cpp-irql': 'warning' } });
});

test('missing settings give the defaults without complaint', () => {
  assert.deepEqual(readLintSettings(undefined), { settings: DEFAULT_SETTINGS, problems: [] });
  assert.deepEqual(readLintSettings(null), { settings: DEFAULT_SETTINGS, problems: [] });
  assert.deepEqual(readLintSettings({}).settings, { enable: true, severity: {} });
});

test('bad entries are dropped one by one and named', () => {
  const { settings, problems } = readLintSettings({ lint: { enable: 1, severity: { 'wi-bad-queue-type': 'fatal', 'no-such-rule': 'off', 'cpp-irql': 'warning', deadlock: 'off' } } });
  assert.deepEqual(settings, { enable: true, severity: { 'cpp-irql': 'warning' } });
  assert.equal(problems.length, 4);
  assert.match(problems[0], /fltsim\.lint\.enable must be true or false \(got 1\)/);
  assert.ok(problems.some((p) => /value for 'wi-bad-queue-type' must be off, info, warning or error \(got "fatal"\)/.test(p)));
  assert.ok(problems.some((p) => /'no-such-rule' is not a lint rule id/.test(p)));
  // A runtime-only rule id is not something the linter can turn off.
  assert.ok(problems.some((p) => /'deadlock' is not a lint rule id/.test(p)));
  assert.match(readLintSettings('on').problems[0], /not an object/);
  assert.match(readLintSettings({ lint: { severity: ['x'] } }).problems[0], /must be an object/);
});

test('info runs the rule as a warning in the linter and reports it as information', () => {
  const settings = { enable: true, severity: { 'wi-bad-queue-type': 'info', 'cpp-irql': 'off', 'dirty-missing': 'error' } } as const;
  assert.deepEqual(toLintOptions(settings), { severities: { 'wi-bad-queue-type': 'warning', 'cpp-irql': 'off', 'dirty-missing': 'error' } });
  assert.equal(diagnosticSeverity({ ruleId: 'wi-bad-queue-type', severity: 'warning' }, settings), DiagnosticSeverity.Information);
  assert.equal(diagnosticSeverity({ ruleId: 'dirty-missing', severity: 'error' }, settings), DiagnosticSeverity.Error);
  assert.equal(diagnosticSeverity({ ruleId: 'name-info', severity: 'warning' }, settings), DiagnosticSeverity.Warning);
  assert.equal(diagnosticSeverity({ ruleId: 'name-info', severity: 'error' }, DEFAULT_SETTINGS), DiagnosticSeverity.Error);
});

test('package.json declares exactly the fltsim.lint settings the server reads', () => {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));
  const props = pkg.contributes.configuration.properties;
  assert.deepEqual(Object.keys(props).filter((k) => k.startsWith('fltsim.lint.')).sort(), ['fltsim.lint.enable', 'fltsim.lint.severity']);
  assert.equal(props['fltsim.lint.enable'].default, DEFAULT_SETTINGS.enable);
  assert.deepEqual(props['fltsim.lint.severity'].additionalProperties.enum, SEVERITY_OVERRIDES);
  // Every rule id the description uses as an example is a real one.
  const ids = LINT_RULES.map((r) => r.id);
  const quoted = [...String(props['fltsim.lint.severity'].markdownDescription).matchAll(/"([a-z0-9]+(?:-[a-z0-9]+)+)"/g)].map((m) => m[1]);
  assert.ok(quoted.length >= 2);
  for (const id of quoted) assert.ok(ids.includes(id), `${id} in the description is not a rule id`);
  const pattern = new RegExp(props['fltsim.lint.severity'].propertyNames.pattern);
  for (const id of ids) assert.ok(pattern.test(id), id);
});

test('settings are asked once per document, refreshed after a change, and bad values logged once', async () => {
  const asked: string[] = [];
  const logs: string[] = [];
  let section: unknown = { lint: { severity: { 'no-such-rule': 'off' } } };
  const source = new SettingsSource({ pull: true, request: async (uri) => { asked.push(uri); return section; }, log: (m) => logs.push(m) });
  await source.forUri('file:///a.c');
  await source.forUri('file:///a.c');
  await source.forUri('file:///b.c');
  assert.deepEqual(asked, ['file:///a.c', 'file:///b.c']);
  assert.equal(logs.length, 1);
  section = { lint: { enable: false } };
  source.changed(null);
  assert.equal((await source.forUri('file:///a.c')).enable, false);
  assert.deepEqual(asked, ['file:///a.c', 'file:///b.c', 'file:///a.c']);
});

test('a failing configuration request falls back to the defaults', async () => {
  const logs: string[] = [];
  const source = new SettingsSource({ pull: true, request: () => Promise.reject(new Error('client went away')), log: (m) => logs.push(m) });
  assert.deepEqual(await source.forUri('file:///a.c'), DEFAULT_SETTINGS);
  assert.match(logs[0], /could not read the settings for file:\/\/\/a\.c \(client went away\)/);
});

test('without pull support, pushed settings apply and other payloads keep them', async () => {
  const source = new SettingsSource({ pull: false, request: () => assert.fail('must not ask'), log: () => undefined });
  assert.deepEqual(await source.forUri('file:///a.c'), DEFAULT_SETTINGS);
  source.changed({ fltsim: { lint: { enable: false } } });
  assert.equal((await source.forUri('file:///a.c')).enable, false);
  source.changed(null);
  assert.equal((await source.forUri('file:///a.c')).enable, false);
});
