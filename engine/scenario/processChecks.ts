/**
 * Whole-file checks of the process lines: names and pids used once, references (an io's or a
 * client's `process`, a `parent`, an open's target and `by`, `expect process`) to processes that
 * exist, open-process ids that neither repeat nor clash with io ids, `expect #N granted` about an
 * open-process line, and I/O issued by a process while it runs.
 */
import type { Scenario, ScenarioDiagnostic, Span } from './ast';
import { spanOf } from './cursor';
import { didYouMean } from './suggest';

const HINT = 'Declare it: process "notepad.exe" pid 1200';
/** The default processes a scenario may name without declaring them (engine/kernel/processes.ts). */
const DEFAULT_PROCESS_NAMES = ['fltsim-app.exe', 'fltsim-client.exe'];

export function checkProcesses(scenario: Scenario, out: ScenarioDiagnostic[]): void {
  const report = (at: Span, code: ScenarioDiagnostic['code'], message: string, hint: string, severity: 'error' | 'warning' = 'error') => out.push({ ...spanOf(at), severity, code, message, hint });
  const byName = new Map<string, (typeof scenario.processes)[number]>();
  const pids = new Map<number, number>();
  for (const p of scenario.processes) {
    const key = p.name.toLowerCase();
    const other = byName.get(key);
    if (other !== undefined) report(p.nameSpan, 'duplicate', `process "${p.name}" is declared twice (the other is on line ${other.line})`, 'Give each process its own name.');
    else byName.set(key, p);
    const pidLine = pids.get(p.pid);
    if (p.pid === 4) report(p.nameSpan, 'bad-number', `pid 4 is the System process's`, 'Choose another id, such as 1200.');
    else if (pidLine !== undefined) report(p.nameSpan, 'duplicate', `pid ${p.pid} is already used by the process on line ${pidLine}`, 'Give each process its own pid.');
    else pids.set(p.pid, p.line);
  }
  const names = scenario.processes.map((p) => p.name);
  const check = (name: string | undefined, at: Span | undefined, what: string) => {
    if (name === undefined || at === undefined) return undefined;
    const p = byName.get(name.toLowerCase());
    if (p === undefined && !DEFAULT_PROCESS_NAMES.includes(name.toLowerCase())) report(at, 'unknown-process', `${what} names process "${name}", but no process line declares it${didYouMean(name, names)}`, names.length > 0 ? `Processes: ${names.join(', ')}.` : HINT);
    return p;
  };
  for (const p of scenario.processes) check(p.parent, p.parentSpan, 'the parent');
  for (const io of scenario.ios) {
    const p = check(io.process, io.processSpan, `io #${io.id}`);
    if (p === undefined || io.processSpan === undefined) continue;
    if ((p.start !== undefined && io.time < p.start) || (p.exit !== undefined && io.time >= p.exit)) {
      report(io.processSpan, 'contradiction', `io #${io.id} is issued at ${io.time}, when process "${p.name}" is not running (${p.start !== undefined ? `it starts at ${p.start}` : 'it runs from the start'}${p.exit !== undefined ? `, exits at ${p.exit}` : ''})`, 'Issue it while the process runs.', 'warning');
    }
  }
  for (const c of scenario.clients) if (c.action === 'connect') check(c.process, c.processSpan, `the client of ${c.port}`);
  const ioIds = new Set(scenario.ios.map((io) => io.id));
  const openIds = new Map<number, number>();
  for (const o of scenario.processOpens) {
    check(o.target, o.targetSpan, `open-process #${o.id}`);
    check(o.opener, o.openerSpan, `open-process #${o.id}`);
    if (ioIds.has(o.id)) report(o.idSpan, 'duplicate', `#${o.id} is already an io line's id`, 'Give the open its own number.');
    else if (openIds.has(o.id)) report(o.idSpan, 'duplicate', `open-process #${o.id} is declared twice (the other is on line ${openIds.get(o.id)})`, 'Give each open its own number.');
    else openIds.set(o.id, o.line);
  }
  for (const e of scenario.expectations) {
    if (e.what === 'granted' && !openIds.has(e.io)) report(e.ioSpan, 'unknown-io', `expect #${e.io} granted refers to no open-process line`, 'Declare it: open-process #1 "notepad.exe" access all at 10');
    if (e.what === 'process') check(e.process, e.processSpan, 'expect');
  }
}
