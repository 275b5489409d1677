/**
 * Whole-file checks of the user-mode program's `client` lines and of `transaction` lines: a program
 * that sends or disconnects on a port it never connects to, steps after a reply on a port it never
 * replies on, an outcome for a transaction no create
 * joins, and a transaction ended twice. Warnings: the run goes on and shows what Windows would do.
 */
import type { Scenario, ScenarioDiagnostic } from './ast';
import { spanOf } from './cursor';

export function checkClientsAndTransactions(scenario: Scenario, out: ScenarioDiagnostic[]): void {
  const connected = new Set(scenario.clients.filter((c) => c.action === 'connect').map((c) => c.port.toLowerCase()));
  const replies = new Set(scenario.clients.filter((c) => c.action === 'reply' && c.reply !== null).map((c) => c.port.toLowerCase()));
  for (const c of scenario.clients) {
    if (c.action === 'then' && !replies.has(c.port.toLowerCase())) {
      out.push({
        ...spanOf(c.portSpan),
        severity: 'warning',
        code: 'contradiction',
        message: `this step runs after the program replies on ${c.port}, but no reply line answers messages on that port`,
        hint: `Add a line such as client "${c.port}" reply ulong 0, or check the port's name.`,
      });
    }
    if ((c.action === 'send' || c.action === 'disconnect') && !connected.has(c.port.toLowerCase())) {
      out.push({
        ...spanOf(c.portSpan),
        severity: 'warning',
        code: 'contradiction',
        message: `the program ${c.action === 'send' ? 'sends on' : 'disconnects from'} ${c.port}, but no line connects it to that port`,
        hint: `Add a line such as client "${c.port}" connect at 0 before it, or check the port's name.`,
      });
    }
  }
  const joined = new Set(scenario.ios.map((io) => io.transaction).filter((t): t is string => t !== undefined));
  const ended = new Map<string, number>();
  for (const t of scenario.transactions) {
    const before = ended.get(t.name);
    if (before !== undefined) {
      out.push({ ...spanOf(t.nameSpan), severity: 'warning', code: 'duplicate', message: `transaction "${t.name}" already ends on line ${before}; this outcome will do nothing`, hint: 'Keep one commit or rollback line per transaction.' });
    } else ended.set(t.name, t.line);
    if (!joined.has(t.name)) {
      out.push({ ...spanOf(t.nameSpan), severity: 'warning', code: 'contradiction', message: `no create opens a file in transaction "${t.name}", so no filter can enlist in it`, hint: `Give a create the option transaction "${t.name}".` });
    }
  }
}
