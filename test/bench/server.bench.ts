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

const URI = 'file:///bench/generated-driver.c';
const EDITS = 60;
const WARMUP = 10;

/** One block of driver code (about 50 lines) whose names end in `n`. */
function block(n: number): string {
  const queue = n % 7 === 3 ? 'HyperCriticalWorkQueue' : 'DelayedWorkQueue';
  return `
typedef struct _SCAN_CONTEXT_${n} {
    PFLT_CALLBACK_DATA Data;
    ULONG Attempts;
} SCAN_CONTEXT_${n}, *PSCAN_CONTEXT_${n};

VOID
ScanWorker${n}(_In_ PFLT_GENERIC_WORKITEM Item, _In_ PVOID FltObject, _In_opt_ PVOID Context)
{
    PSCAN_CONTEXT_${n} scan = (PSCAN_CONTEXT_${n})Context;
    ULONG attempts = 0;
    UNREFERENCED_PARAMETER(FltObject);
    attempts = scan->Attempts + 1;
    scan->Attempts = attempts;
    FltCompletePendedPreOperation(scan->Data, FLT_PREOP_SUCCESS_NO_CALLBACK, NULL);
    ExFreePoolWithTag(scan, 'nacS');
    FltFreeGenericWorkItem(Item);
}

FLT_PREOP_CALLBACK_STATUS
PreRead${n}(_Inout_ PFLT_CALLBACK_DATA Data, _In_ PCFLT_RELATED_OBJECTS FltObjects, _Flt_CompletionContext_Outptr_ PVOID *CompletionContext)
{
    PFLT_GENERIC_WORKITEM item;
    PSCAN_CONTEXT_${n} scan;
    NTSTATUS status;
    *CompletionContext = NULL;
    if (!FLT_IS_IRP_OPERATION(Data)) {
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    }
    scan = ExAllocatePoolWithTag(NonPagedPool, sizeof(SCAN_CONTEXT_${n}), 'nacS');
    if (scan == NULL) {
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    }
    scan->Data = Data;
    scan->Attempts = 0;
    item = FltAllocateGenericWorkItem();
    if (item == NULL) {
        ExFreePoolWithTag(scan, 'nacS');
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    }
    status = FltQueueGenericWorkItem(item, FltObjects->Instance, ScanWorker${n}, ${queue}, scan);
    if (!NT_SUCCESS(status)) {
        FltFreeGenericWorkItem(item);
        ExFreePoolWithTag(scan, 'nacS');
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    }
    return FLT_PREOP_PENDING;
}
`;
}

function registration(count: number): string {
  const ops = Array.from({ length: count }, (_, n) => `    { IRP_MJ_READ, 0, PreRead${n}, NULL },`).join('\n');
  return `
CONST FLT_OPERATION_REGISTRATION Callbacks[] = {
${ops}
    { IRP_MJ_OPERATION_END }
};
`;
}

/** About `lines` lines of driver C. */
function generatedDriver(lines: number): string {
  const blocks: string[] = ['/* Generated for the language server benchmark. */\n#include <fltKernel.h>\n'];
  let n = 0;
  let total = 2;
  while (total < lines - 5) {
    const b = block(n++);
    blocks.push(b);
    total += b.split('\n').length - 1;
  }
  blocks.push(registration(Math.min(n, 4)));
  return blocks.join('');
}

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

/** The one-line edits: toggle `+ 1` / `+ 2` on the `attempts = ...` line of a rotating worker. */
function editPlan(text: string): { line: number; from: number; to: number }[] {
  const lines = text.split('\n');
  return lines.flatMap((l, i) => {
    const at = l.indexOf('scan->Attempts + 1;');
    return at >= 0 ? [{ line: i, from: at + 'scan->Attempts + '.length, to: at + 'scan->Attempts + 1'.length }] : [];
  });
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
