/**
 * Checks that need the whole file: references to io ids and modules declared elsewhere, repeats,
 * and expectations that contradict each other. Statements may refer forward (an `expect` above its
 * `io` is fine); order in the file never changes meaning except for the timeline's tie-breaks.
 */
import type { Scenario, ScenarioDiagnostic, ScenarioDiagnosticCode, Span } from './ast';
import { writtenPathKey } from '../files';
import { nameProblem, splitStream } from '../fltmgr/streamNames';
import { spanOf } from './cursor';
import { didYouMean } from './suggest';
import { checkClientsAndTransactions } from './clientChecks';
import { checkProcesses } from './processChecks';
import { checkRegistry, registryOpIds } from './registryChecks';

export interface CheckContext {
  /** Ids of io lines that had errors: references to them are not reported again. */
  attemptedIoIds: ReadonlySet<number>;
  /** Whether some `driver` line failed to parse; then "no driver" would only repeat that error. */
  attemptedDriver: boolean;
}

type Sink = (at: Span, code: ScenarioDiagnosticCode, message: string, hint: string, severity?: 'error' | 'warning') => void;

export function checkScenario(scenario: Scenario, ctx: CheckContext, out: ScenarioDiagnostic[]): void {
  const report: Sink = (at, code, message, hint, severity = 'error') => out.push({ ...spanOf(at), severity, code, message, hint });
  checkDrivers(scenario, ctx, report);
  checkRepeats(scenario, report);
  checkFileNames(scenario, report);
  checkWorkload(scenario, ctx, report);
  checkExpectations(scenario, ctx, report);
  checkClientsAndTransactions(scenario, out);
  checkProcesses(scenario, out);
  checkRegistry(scenario, out);
}

const MODULE_HINT = "A driver's name is its .vcxproj's project name, its folder's name, or the name (without extension) of the C file that defines DriverEntry.";

/**
 * Once the drivers' projects are read, their real names are known: `unload` and `expect calls`
 * must use them. `names` holds one name per driver line, in order.
 */
export function checkDriverNames(scenario: Scenario, names: readonly string[]): ScenarioDiagnostic[] {
  const out: ScenarioDiagnostic[] = [];
  const report: Sink = (at, code, message, hint, severity = 'error') => out.push({ ...spanOf(at), severity, code, message, hint });
  const known = (m: string) => names.some((n) => n.toLowerCase() === m.toLowerCase());
  const seen = new Map<string, number>();
  scenario.drivers.forEach((d, i) => {
    const name = names[i];
    if (name === undefined) return;
    const other = seen.get(name.toLowerCase());
    if (other !== undefined) report(d.pathSpan, 'duplicate', `two drivers are named '${name}' (the other is on line ${other})`, MODULE_HINT);
    else seen.set(name.toLowerCase(), d.line);
  });
  for (const u of [...scenario.unloads, ...scenario.attaches]) {
    if (u.module !== undefined && u.moduleSpan && !known(u.module)) {
      report(u.moduleSpan, 'unknown-module', `no driver is named '${u.module}'${didYouMean(u.module, names)}`, `Drivers: ${names.join(', ')}. ${MODULE_HINT}`);
    }
  }
  const volumes = scenario.volumes.map((v) => v.name.toLowerCase());
  for (const a of scenario.attaches) {
    if (volumes.length > 0 ? !volumes.includes(a.volume.toLowerCase()) : a.volume.toLowerCase() !== '\\device\\harddiskvolume1') {
      report(a.volumeSpan, 'unknown-volume', `no volume is named "${a.volume}"`, volumes.length > 0 ? `Volumes: ${scenario.volumes.map((v) => v.name).join(', ')}.` : 'Without volume lines the one volume is \\Device\\HarddiskVolume1.');
    }
  }
  for (const e of scenario.expectations) {
    if (e.what === 'calls' && e.module !== undefined && !known(e.module)) {
      report(e.targetSpan, 'unknown-module', `no driver is named '${e.module}'${didYouMean(e.module, names)}`, `Drivers: ${names.join(', ')}. ${MODULE_HINT}`);
    }
  }
  return out;
}

function checkDrivers(scenario: Scenario, ctx: CheckContext, report: Sink): void {
  if (scenario.drivers.length === 0 && !ctx.attemptedDriver) {
    report({ line: 1, column: 1, endColumn: 1 }, 'no-driver', 'this scenario names no driver', 'Add a line such as driver "myfilter.c" (the path is relative to this file).');
  }
  const byPath = new Map<string, number>();
  const byModule = new Map<string, number>();
  const byAltitude = new Map<number, string>();
  for (const d of scenario.drivers) {
    const repeated = d.paths.find((p) => byPath.has(writtenPathKey(p.path)));
    if (repeated) {
      report(repeated.span, 'duplicate', `"${repeated.path}" is already part of the driver on line ${byPath.get(writtenPathKey(repeated.path))}`, 'Each file belongs to one driver, once.');
      continue;
    }
    for (const p of d.paths) byPath.set(writtenPathKey(p.path), d.line);
    const sameModule = byModule.get(d.module.toLowerCase());
    if (sameModule !== undefined) {
      report(d.pathSpan, 'duplicate', `two drivers are named '${d.module}' (the other is on line ${sameModule})`, 'Driver names come from the project, folder or file names and must differ.');
    }
    byModule.set(d.module.toLowerCase(), d.line);
    if (d.altitude !== undefined) {
      const other = byAltitude.get(d.altitude);
      if (other !== undefined) {
        report(d, 'duplicate', `altitude ${d.altitude} is already used by ${other}`, 'Filters cannot share an altitude; give each driver its own.');
      }
      byAltitude.set(d.altitude, d.module);
    }
  }
}

/**
 * A `file` line whose name no file or stream can have, that names a volume's root, or that makes a
 * stream a folder would only fail inside the run or be silently made something else; refuse it here.
 */
function checkFileNames(scenario: Scenario, report: Sink): void {
  for (const f of scenario.files) {
    // A drive letter's colon is not a stream's: look at the name after it.
    const afterDrive = f.path.replace(/^(?:\\(?:\?\?|DosDevices|GLOBAL\?\?)\\)?[A-Za-z]:(?=\\|$)/i, '');
    // A volume's root: a declared volume's name, any device name alone, or a drive or path that is only slashes.
    const inVolume = scenario.volumes.reduce((rest, v) => (rest.toLowerCase() === v.name.toLowerCase() || rest.toLowerCase().startsWith(`${v.name.toLowerCase()}\\`) ? rest.slice(v.name.length) : rest), afterDrive);
    const isRoot = inVolume.replace(/\\/g, '') === '' || /^\\Device\\[^\\]+\\*$/i.test(afterDrive);
    const problem = nameProblem(afterDrive);
    if (problem !== undefined) {
      report(f.pathSpan, 'bad-name', `"${f.path}" is not a valid file or stream name: ${problem}`, 'Name a file as Windows keeps it: "\\Device\\HarddiskVolume1\\docs\\a.txt", or a stream of it as "a.txt:name".');
    } else if (isRoot) {
      report(f.pathSpan, 'bad-name', `"${f.path}" names the root folder of the volume, not a file in it`, 'Add the file\'s name after the volume: "\\Device\\HarddiskVolume1\\a.txt".');
    } else if (f.folder && splitStream(afterDrive)?.stream !== undefined) {
      report(f.pathSpan, 'bad-name', `"${f.path}" is a stream, and a stream is never a folder`, 'Declare the folder without the stream, or the stream with size, content or from.');
    }
  }
}

function checkRepeats(scenario: Scenario, report: Sink): void {
  const once = <T extends Span>(items: readonly T[], key: (t: T) => string, at: (t: T) => Span, what: (t: T) => string): void => {
    const seen = new Map<string, number>();
    for (const item of items) {
      const k = key(item);
      const first = seen.get(k);
      if (first !== undefined) report(at(item), 'duplicate', `${what(item)} is already given on line ${first}`, 'Keep one of the two lines.');
      else seen.set(k, item.line);
    }
  };
  once(scenario.defines, (d) => d.name, (d) => d.nameSpan, (d) => `macro ${d.name}`);
  once(scenario.ios, (io) => String(io.id), (io) => io.idSpan, (io) => `io #${io.id}`);
  once(scenario.files, (f) => writtenPathKey(f.path), (f) => f.pathSpan, (f) => `file "${f.path}"`);
  once(scenario.volumes, (v) => v.name.toLowerCase(), (v) => v.nameSpan, (v) => `volume "${v.name}"`);
  once(scenario.registry, (r) => `${r.key?.toLowerCase() ?? ''}|${r.name?.toLowerCase() ?? ''}`, (r) => r.nameSpan ?? r.keySpan ?? r, (r) => (r.name === undefined ? `registry key "${r.key}"` : `registry value "${r.name}"${r.key === undefined ? '' : ` in "${r.key}"`}`));
  once(scenario.cancels, (c) => String(c.io), (c) => c, (c) => `a cancel of #${c.io}`);
  once(scenario.unloads, (u) => u.module?.toLowerCase() ?? '', (u) => u, (u) => (u.module ? `an unload of ${u.module}` : 'an unload of every driver'));
  once(scenario.statements.filter((s) => s.kind === 'limit'), (l) => l.name, (l) => l.nameSpan, (l) => `limit ${l.name}`);
  for (const kind of ['scenario', 'seed', 'processors', 'workers'] as const) {
    once(scenario.statements.filter((s) => s.kind === kind), () => kind, (s) => s, () => `'${kind}'`);
  }
}

function checkWorkload(scenario: Scenario, ctx: CheckContext, report: Sink): void {
  const ios = new Map(scenario.ios.map((io) => [io.id, io]));
  for (const c of scenario.cancels) {
    const io = ios.get(c.io);
    if (!io) {
      if (!ctx.attemptedIoIds.has(c.io)) reportUnknownIo(scenario, c.io, c.ioSpan, 'cancel', report);
      continue;
    }
    if (c.time < io.time) {
      report(c, 'cancel-before-issue', `cancel of #${c.io} at ${c.time} comes before the io is issued at ${io.time}`, `Cancel at ${io.time} or later; a cancel finds nothing before the request exists.`, 'warning');
    }
  }
  const modules = scenario.drivers.flatMap((d) => d.moduleCandidates);
  // A .vcxproj may name its driver anything (<ProjectName>): names are checked once it is read.
  const namesKnown = modules.length > 0 && scenario.drivers.every((d) => d.source !== 'vcxproj');
  for (const u of [...scenario.unloads, ...scenario.attaches]) {
    if (u.module !== undefined && u.moduleSpan && namesKnown && !modules.some((m) => m.toLowerCase() === u.module?.toLowerCase())) {
      report(u.moduleSpan, 'unknown-module', `no driver is named '${u.module}'${didYouMean(u.module, modules)}`, `Drivers: ${modules.join(', ')}. ${MODULE_HINT}`);
    }
  }
}

function reportUnknownIo(scenario: Scenario, id: number, at: Span, what: string, report: Sink): void {
  const ids = scenario.ios.map((io) => `#${io.id}`);
  report(at, 'unknown-io', `${what} refers to #${id}, but no io line declares it`, ids.length > 0 ? `Declared ios: ${ids.join(', ')}.` : 'Declare it first: io #1 read "\\Device\\HarddiskVolume1\\a.txt"');
}

function checkExpectations(scenario: Scenario, ctx: CheckContext, report: Sink): void {
  const ioIds = new Set([...scenario.ios.map((io) => io.id), ...registryOpIds(scenario)]);
  const modules = scenario.drivers.flatMap((d) => d.moduleCandidates);
  const namesKnown = modules.length > 0 && scenario.drivers.every((d) => d.source !== 'vcxproj');
  const statusFor = new Map<number, { status: number; line: number }>();
  const loadFor = new Map<string, { status: number; line: number }>();
  const wanted = new Map<string, number>();
  const refused = new Map<string, number>();
  let noViolationsLine: number | undefined;
  for (const e of scenario.expectations) {
    switch (e.what) {
      case 'status':
      case 'state':
      case 'pending':
        if (!ioIds.has(e.io)) {
          if (!ctx.attemptedIoIds.has(e.io)) reportUnknownIo(scenario, e.io, e.ioSpan, 'expect', report);
        } else if (e.what === 'status') {
          const prior = statusFor.get(e.io);
          if (prior && prior.status !== e.status) {
            report(e, 'contradiction', `#${e.io} cannot end with two statuses (see line ${prior.line})`, 'Keep one status expectation per io.', 'warning');
          } else if (!prior) statusFor.set(e.io, { status: e.status, line: e.line });
        }
        break;
      case 'calls':
        if (e.module !== undefined && namesKnown && !modules.some((m) => m.toLowerCase() === e.module?.toLowerCase())) {
          report(e.targetSpan, 'unknown-module', `no driver is named '${e.module}'${didYouMean(e.module, modules)}`, `Drivers: ${modules.join(', ')}. ${MODULE_HINT}`);
        }
        break;
      case 'violation':
        if (!wanted.has(e.rule)) wanted.set(e.rule, e.line);
        break;
      case 'no-violation':
        if (!refused.has(e.rule)) refused.set(e.rule, e.line);
        break;
      case 'no-violations':
        noViolationsLine ??= e.line;
        break;
      case 'output':
      case 'deadlock':
      case 'hanging':
      case 'stop':
        break;
      case 'load': {
        if (e.module !== undefined && e.moduleSpan && modules.length > 0 && !modules.some((m) => m.toLowerCase() === e.module?.toLowerCase())) {
          report(e.moduleSpan, 'unknown-module', `no driver is named '${e.module}'${didYouMean(e.module, modules)}`, `Drivers: ${modules.join(', ')}. A module is its file name without extension.`);
        }
        const key = e.module?.toLowerCase() ?? '';
        const prior = loadFor.get(key);
        if (prior && prior.status !== e.status) {
          report(e, 'contradiction', `DriverEntry cannot return two statuses (see line ${prior.line})`, 'Keep one load expectation per driver.', 'warning');
        } else if (!prior) loadFor.set(key, { status: e.status, line: e.line });
        break;
      }
    }
  }
  // A request expected to stay outstanding cannot also end with a status or as done.
  const pending = new Map<number, number>();
  for (const e of scenario.expectations) if (e.what === 'pending' && !pending.has(e.io)) pending.set(e.io, e.line);
  for (const e of scenario.expectations) {
    if (e.what !== 'status' && !(e.what === 'state' && e.state === 'done')) continue;
    const line = pending.get(e.io);
    if (line !== undefined) report(e, 'contradiction', `#${e.io} is expected never to complete (line ${line}), so it cannot end ${e.what === 'status' ? 'with a status' : 'done'}`, 'Keep the one you mean: expect #N pending, or what it ends with.', 'warning');
  }
  const stops = scenario.expectations.filter((e) => e.what === 'stop');
  const deadlock = scenario.expectations.find((e) => e.what === 'deadlock');
  if (stops.length > 0 && deadlock) {
    report(deadlock, 'contradiction', `a run that stops early (line ${stops[0]!.line}) never reaches the end where a deadlock is found`, 'Keep the one you mean: expect stop or expect deadlock.', 'warning');
  }
  for (const e of stops.slice(1)) {
    if (e.what === 'stop' && stops[0]!.what === 'stop' && e.reason !== stops[0]!.reason) {
      report(e, 'contradiction', `a run stops once; line ${stops[0]!.line} expects another reason`, 'Keep one stop expectation.', 'warning');
    }
  }
  if (deadlock && noViolationsLine !== undefined) {
    report(deadlock, 'contradiction', `a deadlock is recorded as the violation 'deadlock', which contradicts line ${noViolationsLine}`, 'Drop expect no violations, or use expect no violation <rule-id> for the rules you mean.', 'warning');
  }
  for (const e of scenario.expectations) {
    if (e.what !== 'violation') continue;
    const clash = refused.get(e.rule) ?? noViolationsLine;
    if (clash !== undefined) {
      report(e.ruleSpan, 'contradiction', `expecting violation ${e.rule} contradicts line ${clash}, which expects none`, 'One of the two expectations must fail; keep the one you mean.', 'warning');
    }
  }
}
