/**
 * package.json against the files and code it points at: a path that does not exist or a command
 * nobody registers only shows up in a real VS Code otherwise, as a silent no-op.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_COMMANDS, Commands, WALKTHROUGH_IDS } from '../../../extension/client/commandIds';
import { LAUNCH_ATTRIBUTES } from '../../../extension/client/launchConfig';
import { firstStatementLine, functionForRole, isRoutineRole, sampleEntryFile } from '../../../extension/client/samplePlan';

const root = join(__dirname, '..', '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const c = pkg.contributes;
const contributed = new Set<string>(c.commands.map((x: { command: string }) => x.command));

/** Built-in commands the walkthroughs link to (not ours, so not contributed). */
const BUILT_IN = new Set(['workbench.debug.action.focusVariablesView', 'workbench.actions.view.problems', 'workbench.action.openSettings']);

function listFiles(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]);
}
const sampleFiles = listFiles(join(root, 'samples'));

/** `command:id?args` links in walkthrough step descriptions. */
function commandLinks(): { id: string; args: unknown[]; where: string }[] {
  const out: { id: string; args: unknown[]; where: string }[] = [];
  for (const w of c.walkthroughs) {
    for (const s of w.steps) {
      for (const m of (s.description as string).matchAll(/\(command:([\w.]+)(?:\?([^)]*))?\)/g)) {
        out.push({ id: m[1], args: m[2] ? JSON.parse(decodeURIComponent(m[2])) : [], where: `${w.id}/${s.id}` });
      }
    }
  }
  return out;
}

test('paths named by the manifest exist', () => {
  const paths = [
    pkg.main,
    ...c.grammars.map((g: { path: string }) => g.path),
    ...c.languages.filter((l: { configuration?: string }) => l.configuration).map((l: { configuration: string }) => l.configuration),
    ...c.walkthroughs.flatMap((w: any) => w.steps.flatMap((s: any) => [s.media.markdown, s.media.image, s.media.svg].filter(Boolean))),
  ];
  const missing = paths.filter((p: string) => !existsSync(join(root, p)));
  assert.deepEqual(missing, [], `missing (dist/ files need "npm run build"): ${missing.join(', ')}`);
  assert.ok(paths.length >= 20);
});

test('contributed commands are exactly the ones the extension registers', () => {
  assert.deepEqual([...contributed].sort(), [...ALL_COMMANDS].sort());
  const source = ['commands.ts', join('timeline', 'commands.ts')].map((f) => readFileSync(join(root, 'extension', 'client', f), 'utf8')).join('\n');
  for (const key of Object.keys(Commands)) assert.match(source, new RegExp(`reg\\(Commands\\.${key},`), `neither commands.ts nor timeline/commands.ts registers Commands.${key}`);
  for (const cmd of c.commands) assert.equal(cmd.category, 'fltsim', `${cmd.command} has no fltsim category`);
});

test('menus, completion events and walkthrough links name real commands', () => {
  const menuCommands = Object.values(c.menus).flatMap((items: any) => items.map((i: { command: string }) => i.command));
  assert.deepEqual(menuCommands.filter((id: string) => !contributed.has(id)), []);
  const events = c.walkthroughs.flatMap((w: any) => w.steps.flatMap((s: any) => s.completionEvents as string[]));
  const badEvents = events.filter((e: string) => e.startsWith('onCommand:') && !contributed.has(e.slice(10)) && !BUILT_IN.has(e.slice(10)));
  assert.deepEqual(badEvents, []);
  const links = commandLinks();
  assert.ok(links.length >= 16, `only ${links.length} command links`);
  assert.deepEqual(links.filter((l) => !contributed.has(l.id) && !BUILT_IN.has(l.id)).map((l) => `${l.where}: ${l.id}`), []);
  const runButtons = c.menus['editor/title/run'].map((i: { command: string }) => i.command);
  assert.deepEqual(runButtons, [Commands.runScenario, Commands.debugScenario, Commands.exploreSchedules, Commands.showTimeline]);
  for (const id of runButtons) assert.ok(c.commands.find((x: any) => x.command === id).icon, `${id} needs an icon for the title bar`);
});

test('walkthroughs: four or more, ids known to the code, each step with media and a completion event', () => {
  assert.deepEqual(c.walkthroughs.map((w: { id: string }) => w.id), [...WALKTHROUGH_IDS]);
  for (const w of c.walkthroughs) {
    assert.ok(w.steps.length >= 3, `${w.id} has ${w.steps.length} steps`);
    for (const s of w.steps) {
      assert.ok(s.media?.markdown, `${w.id}/${s.id} has no markdown media`);
      assert.ok(s.completionEvents?.length > 0, `${w.id}/${s.id} has no completion event`);
    }
  }
});

test('walkthrough links point at samples that exist and routines that can be found', () => {
  const links = commandLinks();
  const sampleArgs = links.filter((l) => [Commands.openSample, Commands.debugScenario, Commands.breakInSample].includes(l.id as never));
  assert.equal(sampleArgs.length, 15, `walkthrough sample links: ${sampleArgs.map((l) => l.where).join(", ")}`);
  for (const l of sampleArgs) {
    const sample = l.args[0] as string;
    const entry = sampleEntryFile(sampleFiles, sample);
    assert.ok(entry, `${l.where}: sample "${sample}" is not in samples/`);
    if (l.id === Commands.debugScenario) assert.match(entry, /\.fltsim$/, `${l.where}: sample "${sample}" has no scenario to debug`);
    if (l.id === Commands.breakInSample) {
      const target = l.args[1] as string;
      const sources = sampleFiles.filter((f) => f.startsWith(`${sample}/`) && f.endsWith('.c')).map((f) => readFileSync(join(root, 'samples', f), 'utf8'));
      const fn = isRoutineRole(target) ? sources.map((s) => functionForRole(s, target)).find(Boolean) : target;
      assert.ok(fn, `${l.where}: no ${target} routine in samples/${sample}`);
      assert.ok(sources.some((s) => firstStatementLine(s, fn) !== undefined), `${l.where}: ${fn} has no body in samples/${sample}`);
    }
  }
});

test('debugger contribution: launch schema matches the code, breakpoints for c and fltsim, no Node runtime required', () => {
  const [dbg] = c.debuggers;
  assert.equal(dbg.type, 'fltsim');
  // The extension's descriptor factory starts the adapter with the editor's own runtime.
  assert.equal(dbg.runtime, undefined);
  assert.equal(dbg.program, undefined);
  assert.deepEqual(dbg.languages, ['c', 'fltsim']);
  const launch = dbg.configurationAttributes.launch;
  assert.deepEqual(launch.required, ['scenario']);
  assert.deepEqual(Object.keys(launch.properties).sort(), [...LAUNCH_ATTRIBUTES].sort());
  assert.equal(launch.properties.scenario.type, 'string');
  assert.deepEqual([launch.properties.stopOnEntry.type, launch.properties.stopOnEntry.default], ['boolean', false]);
  assert.equal(launch.properties.seed.type, 'integer');
  for (const p of Object.values(launch.properties) as { description?: string }[]) assert.ok(p.description);
  assert.ok(dbg.initialConfigurations.every((x: any) => x.type === 'fltsim' && x.request === 'launch' && x.scenario));
  assert.ok(dbg.configurationSnippets.length >= 1);
  assert.deepEqual(c.breakpoints.map((b: { language: string }) => b.language).sort(), ['c', 'fltsim']);
});

test('settings, activation and trust declarations', () => {
  const props = c.configuration.properties;
  assert.equal(props['fltsim.lint.enable'].type, 'boolean');
  assert.equal(props['fltsim.lint.enable'].default, true);
  assert.deepEqual(props['fltsim.lint.severity'].additionalProperties.enum, ['off', 'info', 'warning', 'error']);
  assert.deepEqual(props['fltsim.trace.server'].enum, ['off', 'messages', 'verbose']);
  for (const [key, p] of Object.entries(props) as [string, any][]) assert.ok(p.description || p.markdownDescription, `${key} has no description`);
  for (const e of ['onLanguage:fltsim', 'onLanguage:c', 'onDebugResolve:fltsim', 'onDebugDynamicConfigurations:fltsim']) assert.ok(pkg.activationEvents.includes(e), e);
  assert.ok(!pkg.activationEvents.some((e: string) => e === '*' || e === 'onStartupFinished' || e.startsWith('onCommand:')), 'activation must stay narrow');
  // In Restricted Mode nothing runs: the commands that run scenarios or tasks need a trusted folder
  // (extension/client/trust.ts refuses them when called another way, and the server reads open documents only).
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
  assert.match(pkg.capabilities.untrustedWorkspaces.description, /Restricted Mode.*lints the C files you open, reading nothing else/);
  const command = (id: string) => c.commands.find((x: { command: string }) => x.command === id);
  for (const id of ['fltsim.runScenario', 'fltsim.debugScenario', 'fltsim.lintWorkspace']) assert.match(command(id).enablement ?? '', /isWorkspaceTrusted/, id);
  assert.equal(pkg.capabilities.virtualWorkspaces.supported, 'limited');
});
