// The language server over a long editing session: 1,000 one-line edits of a 3,000-line driver.
// Its memory stays flat: the V8 heap after a full collection ends within 10% of what it was after a
// warm-up (the resident set is reported too, but it moves with the collector's timing), and what it
// publishes at the end equals a fresh lint of the final text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { editPlan, generatedDriver } from '../bench/generatedDriver';
import { LspClient, range } from './lspHelpers';

const EDITS = Number(process.env.FLTSIM_MEMORY_EDITS ?? 1000);
const WARMUP = 150;

/** Resident set size of a process in KiB, from /proc (Linux). */
function rssKiB(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  assert.ok(m, 'VmRSS is readable');
  return Number(m[1]);
}

test(`server memory is flat over ${EDITS} edits of a 3,000-line driver, and its diagnostics equal a fresh lint`, async (t) => {
  const client = await LspClient.start({ initializationOptions: { lintDelayMs: 0 }, execArgv: ['--expose-gc'], env: { FLTSIM_MEMORY_PROBE: '1' } });
  const usage = () => client.request<{ heapUsed: number; arrayBuffers: number }>('fltsim/memoryUsage', null);
  const heap = async () => (await usage()).heapUsed;
  try {
    const uri = 'file:///memory/driver.c';
    let lines = generatedDriver(3000).split('\n');
    let since = client.mark();
    client.open(uri, 'c', lines.join('\n'), 1);
    await client.diagnostics(uri, since, (p) => p.version === 1, 60_000);
    const plan = editPlan(lines.join('\n'));
    let version = 1;
    let afterWarmup = 0;
    let heapAfterWarmup = 0;
    let last: Awaited<ReturnType<typeof client.diagnostics>> | undefined;
    const started = performance.now();
    for (let k = 0; k < WARMUP + EDITS; k++) {
      if (k === WARMUP) {
        heapAfterWarmup = await heap();
        afterWarmup = rssKiB(client.pid);
      }
      const edit = plan[(k * 7) % plan.length];
      const line = lines[edit.line];
      const next = line.slice(edit.from, edit.to) === '2' ? '1' : '2';
      lines = [...lines];
      lines[edit.line] = line.slice(0, edit.from) + next + line.slice(edit.to);
      version++;
      since = client.mark();
      client.change(uri, version, [{ range: range(edit.line, edit.from, edit.line, edit.to), text: next }]);
      const want = version;
      last = await client.diagnostics(uri, since, (p) => p.version === want, 60_000);
    }
    const ms = performance.now() - started;
    const heapEnd = await heap();
    const buffers = (await usage()).arrayBuffers;
    const end = rssKiB(client.pid);
    const growth = (heapEnd - heapAfterWarmup) / heapAfterWarmup;
    const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
    t.diagnostic(`heap after a full GC: ${mib(heapAfterWarmup)} MiB after ${WARMUP} warm-up edits, ${mib(heapEnd)} MiB after ${EDITS} more (${(growth * 100).toFixed(1)}%); RSS ${(afterWarmup / 1024).toFixed(1)} -> ${(end / 1024).toFixed(1)} MiB (of which array buffers, the parser's wasm memory among them, ${mib(buffers)} MiB); ${(ms / (WARMUP + EDITS)).toFixed(1)} ms per edit`);
    assert.ok(growth <= 0.10, `the heap grew by ${(growth * 100).toFixed(1)}%`);

    // The same final text, opened fresh, is linted from scratch: the two must agree.
    const fresh = 'file:///memory/fresh.c';
    since = client.mark();
    client.open(fresh, 'c', lines.join('\n'), 1);
    const clean = await client.diagnostics(fresh, since, (p) => p.version === 1, 60_000);
    assert.ok(clean.diagnostics.length > 0, 'the driver has findings to compare');
    assert.deepEqual(last!.diagnostics, clean.diagnostics);
  } finally {
    await client.stop();
  }
});
