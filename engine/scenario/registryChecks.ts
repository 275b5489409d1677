/**
 * Whole-file checks of the registry lines: `registry #N` ids that neither repeat nor clash with io or
 * open-process ids, expectations on them that make sense (a status, not a state), and the processes
 * they run in.
 */
import type { Scenario, ScenarioDiagnostic, Span } from './ast';
import { spanOf } from './cursor';
import { didYouMean } from './suggest';

const DEFAULT_PROCESS_NAMES = ['fltsim-app.exe', 'fltsim-client.exe'];

export function checkRegistry(scenario: Scenario, out: ScenarioDiagnostic[]): void {
  const report = (at: Span, code: ScenarioDiagnostic['code'], message: string, hint: string) => out.push({ ...spanOf(at), severity: 'error', code, message, hint });
  const others = new Set([...scenario.ios.map((io) => io.id), ...scenario.processOpens.map((o) => o.id)]);
  const ids = new Map<number, number>();
  const names = scenario.processes.map((p) => p.name);
  for (const o of scenario.registryOps) {
    if (others.has(o.id)) report(o.idSpan, 'duplicate', `#${o.id} is already the id of an io or open-process line`, 'Give the registry operation its own number.');
    else if (ids.has(o.id)) report(o.idSpan, 'duplicate', `registry #${o.id} is declared twice (the other is on line ${ids.get(o.id)})`, 'Give each registry operation its own number.');
    else ids.set(o.id, o.line);
    if (o.process !== undefined && o.processSpan !== undefined && !names.some((n) => n.toLowerCase() === o.process!.toLowerCase()) && !DEFAULT_PROCESS_NAMES.includes(o.process.toLowerCase())) {
      report(o.processSpan, 'unknown-process', `registry #${o.id} names process "${o.process}", but no process line declares it${didYouMean(o.process, names)}`, names.length > 0 ? `Processes: ${names.join(', ')}.` : 'Declare it: process "regedit.exe" pid 1200');
    }
  }
  for (const e of scenario.expectations) {
    if ((e.what === 'state' || e.what === 'pending' || e.what === 'granted') && ids.has(e.io)) {
      report(e.ioSpan, 'unknown-expectation', `registry #${e.io} is a registry operation: it has a status, not ${e.what === 'granted' ? 'granted access' : 'a state'}`, `Write: expect #${e.io} status STATUS_SUCCESS`);
    }
  }
}

/** Ids of the registry operations, which `expect #N status` may name as it names io lines. */
export function registryOpIds(scenario: Scenario): number[] {
  return scenario.registryOps.map((o) => o.id);
}
