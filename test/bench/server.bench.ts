/**
 * Language server benchmark (issue 6): the median time from a one-line `didChange` on a 2,000-line
 * driver to the `publishDiagnostics` for that version, measured over stdio against dist/server.js
 * with the debounce set to 0 (initializationOptions.lintDelayMs), so the number is the server's
 * own work: protocol, incremental text sync, re-lint, diagnostics. For comparison it also times
 * the same edits on a bare `LintDocument` in this process.
 *
 * The driver is generated here from a template of ordinary minifilter functions (pre-ops that pend
 * to a work item, workers, a post-op, helpers, a registration table), with a few mistakes mixed in.
 *
 *   npm run build && node --import tsx test/bench/server.bench.ts [--json]
 */
import { existsSync } from 'node:fs';
import { initLinter, LintDocument } from '../../engine';
import { LspClient, range, SERVER } from '../protocol/lspHelpers';
import { editPlan, generatedDriver } from './generatedDriver';

const URI = 'file:///bench/generated-driver.c';
const EDITS = 60;
const WARMUP = 10;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))];
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

async function measureServer(text: string) {
  const client = await LspClient.start({ initializationOptions: { lintDelayMs: 0 } });
  try {
    let since = client.mark();
    const t0 = performance.now();
    client.open(URI, 'c', text, 1);
    const first = await client.diagnostics(URI, since, (p) => p.version === 1, 60_000);
    const openMs = performance.now() - t0;
    const plan = editPlan(text);
    const digits = new Map<number, string>();
    const times: number[] = [];
    for (let k = 0; k < EDITS + WARMUP; k++) {
      const edit = plan[(k * 7) % plan.length];
      const next = digits.get(edit.line) === '2' ? '1' : '2';
      digits.set(edit.line, next);
      const version = k + 2;
      since = client.mark();
      const t = performance.now();
      client.change(URI, version, [{ range: range(edit.line, edit.from, edit.line, edit.to), text: next }]);
      await client.diagnostics(URI, since, (p) => p.version === version, 60_000);
      if (k >= WARMUP) times.push(performance.now() - t);
    }
    return { openMs: round(openMs), findings: first.diagnostics.length, medianMs: round(median(times)), p90Ms: round(percentile(times, 0.9)), maxMs: round(Math.max(...times)), edits: times.length };
  } finally {
    await client.stop();
  }
}

/** The same edits on a LintDocument in this process: the linter's share of the server's time. */
function measureInProcess(text: string) {
  const doc = new LintDocument();
  doc.update(text);
  const plan = editPlan(text);
  let lines = text.split('\n');
  const times: number[] = [];
  for (let k = 0; k < EDITS + WARMUP; k++) {
    const edit = plan[(k * 7) % plan.length];
    const line = lines[edit.line];
    const next = line.slice(edit.from, edit.to) === '2' ? '1' : '2';
    lines = [...lines];
    lines[edit.line] = line.slice(0, edit.from) + next + line.slice(edit.to);
    const updated = lines.join('\n');
    const t = performance.now();
    doc.update(updated);
    if (k >= WARMUP) times.push(performance.now() - t);
  }
  doc.dispose();
  return { medianMs: round(median(times)), maxMs: round(Math.max(...times)) };
}

async function main(): Promise<void> {
  if (!existsSync(SERVER)) throw new Error(`${SERVER} is missing; run 'npm run build' first.`);
  const text = generatedDriver(2000);
  const lines = text.split('\n').length;
  await initLinter();
  const server = await measureServer(text);
  const inProcess = measureInProcess(text);
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify({ bench: 'server', lines, server, inProcess })}\n`);
    return;
  }
  process.stdout.write(`server  open of a ${lines}-line driver to its first diagnostics: ${server.openMs} ms (${server.findings} diagnostics)\n`);
  process.stdout.write(`server  one-line didChange to publishDiagnostics, debounce excluded: median ${server.medianMs} ms, p90 ${server.p90Ms} ms, max ${server.maxMs} ms over ${server.edits} edits\n`);
  process.stdout.write(`server  the same edits on a bare LintDocument in process: median ${inProcess.medianMs} ms, max ${inProcess.maxMs} ms\n`);
}

main().catch((err) => {
  process.stderr.write(`server bench failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
