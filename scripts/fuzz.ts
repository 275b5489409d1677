/**
 * `npm run fuzz`: the fuzz properties of test/fuzz/properties.ts for as long as asked.
 *
 *   npm run fuzz -- [--minutes M] [--runs N] [--seed S] [--only TEXT] [--out DIR]
 *
 * --minutes  wall-clock budget for the whole run, shared by the properties (default 10)
 * --runs     stop a property after N inputs even if time is left (default: no limit)
 * --seed     base seed; property i uses seed + i, so a failure replays with the same flags (default:
 *            random, printed)
 * --only     run only the properties whose name contains TEXT
 * --out      where failures and the summary are written (default fuzz-out/)
 *
 * Each property runs in its own process, which reports every input before checking it. A process
 * silent for longer than any input's bound is a hang: it is killed and the input it was on is
 * reported, like any other failure. The exit status is 1 when any property failed.
 */
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';

/** Longer than any single input's bound (test/fuzz: 20 s per run, lint or request): past it, a hang. */
const HANG_MS = 90_000;

interface Flags {
  minutes: number;
  runs: number;
  seed: number;
  only?: string;
  out: string;
}

function flags(argv: string[]): Flags {
  const get = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  };
  const num = (name: string, fallback: number) => {
    const v = get(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} needs a positive number (got '${v}')`);
    return n;
  };
  return { minutes: num('minutes', 10), runs: num('runs', Number.MAX_SAFE_INTEGER), seed: Math.floor(num('seed', randomInt(1, 2 ** 31 - 1))), only: get('only'), out: get('out') ?? 'fuzz-out' };
}

interface WorkerResult {
  name: string;
  seed: number;
  runs: number;
  ms: number;
  failed: boolean;
  interrupted: boolean;
  error?: string;
  counterexample?: string;
  replay?: string;
}

/** The child: one property, reporting each input on stdout as it starts. */
async function worker(index: number, seed: number, ms: number, runs: number): Promise<void> {
  const { ALL_PROPERTIES, propertyOf } = await import('../test/fuzz/properties');
  const { readyEngine } = await import('../test/fuzz/engineTargets');
  await readyEngine();
  const p = ALL_PROPERTIES[index]!;
  let count = 0;
  const started = performance.now();
  const details = await fc.check(propertyOf(p, (input) => {
    count++;
    process.stdout.write(`${JSON.stringify({ input: count, value: JSON.stringify(input).slice(0, 20_000) })}\n`);
  }), { seed, numRuns: runs, interruptAfterTimeLimit: ms, markInterruptAsFailure: false, endOnFailure: true });
  const cause = details.errorInstance as Error | undefined;
  const result: WorkerResult = {
    name: p.name,
    seed,
    runs: details.numRuns,
    ms: Math.round(performance.now() - started),
    failed: details.failed,
    interrupted: details.interrupted,
    ...(details.failed ? {
      error: cause ? (cause.stack ?? cause.message) : "the property failed without an error",
      counterexample: JSON.stringify(details.counterexample).slice(0, 50_000),
      replay: `seed ${details.seed}, path "${details.counterexamplePath}"`,
    } : {}),
  };
  process.stdout.write(`${JSON.stringify({ result })}\n`);
}

/** Runs property `index` in a child process with a hang watchdog. */
function runChild(index: number, name: string, seed: number, ms: number, runs: number): Promise<WorkerResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--max-old-space-size=2048', __filename, '--worker', String(index), String(seed), String(ms), String(runs)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let lastInput = '';
    let inputs = 0;
    let result: WorkerResult | undefined;
    let stderr = '';
    let buffer = '';
    let timer = setTimeout(onHang, HANG_MS);
    const started = performance.now();
    function onHang(): void {
      child.kill('SIGKILL');
      result = { name, seed, runs: inputs, ms: Math.round(performance.now() - started), failed: true, interrupted: false, error: `no progress for ${HANG_MS / 1000} s: the input hangs`, counterexample: lastInput };
    }
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        clearTimeout(timer);
        timer = setTimeout(onHang, HANG_MS);
        try {
          const msg = JSON.parse(line) as { input?: number; value?: string; result?: WorkerResult };
          if (msg.result) result = msg.result;
          else if (msg.input !== undefined) {
            inputs = msg.input;
            lastInput = msg.value ?? '';
          }
        } catch {
          // A stray line from a library: not ours.
        }
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-20_000)));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(result ?? { name, seed, runs: inputs, ms: Math.round(performance.now() - started), failed: true, interrupted: false, error: `the fuzz process ended (${code ?? signal}) without a result: ${stderr}`, counterexample: lastInput });
    });
  });
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === '--worker') {
    await worker(Number(argv[1]), Number(argv[2]), Number(argv[3]), Number(argv[4]));
    return;
  }
  const f = flags(argv);
  if (!existsSync('dist/debugAdapter.js') || !existsSync('dist/server.js')) throw new Error('dist/ is missing: npm run fuzz builds it first (npm run build)');
  const { ALL_PROPERTIES } = await import('../test/fuzz/properties');
  const chosen = ALL_PROPERTIES.map((p, i) => ({ p, i })).filter(({ p }) => f.only === undefined || p.name.includes(f.only));
  if (chosen.length === 0) throw new Error(`no property matches --only ${f.only}`);
  const share = Math.floor((f.minutes * 60_000) / chosen.length);
  console.log(`fuzz: ${chosen.length} properties, ${f.minutes} min (${Math.round(share / 1000)} s each), base seed ${f.seed}${f.runs < Number.MAX_SAFE_INTEGER ? `, at most ${f.runs} inputs each` : ''}`);
  mkdirSync(f.out, { recursive: true });
  const results: WorkerResult[] = [];
  const started = performance.now();
  for (const { p, i } of chosen) {
    const r = await runChild(i, p.name, f.seed + i, share, f.runs);
    results.push(r);
    const rate = r.ms > 0 ? (r.runs / (r.ms / 1000)).toFixed(1) : '0';
    console.log(`  ${r.failed ? 'FAIL' : 'ok  '}  ${String(r.runs).padStart(7)} inputs  ${(r.ms / 1000).toFixed(0).padStart(4)} s  ${rate.padStart(6)}/s  ${p.name}`);
    if (r.failed) {
      const file = path.join(f.out, `failure-${i}.json`);
      writeFileSync(file, JSON.stringify(r, null, 2));
      console.log(`        ${r.error?.split('\n')[0]}\n        replay: --seed ${f.seed} --only "${p.name}" (${r.replay ?? 'hang'}); details in ${file}`);
    }
  }
  const total = results.reduce((n, r) => n + r.runs, 0);
  const failures = results.filter((r) => r.failed).length;
  const summary = { seed: f.seed, minutes: f.minutes, seconds: Math.round((performance.now() - started) / 1000), inputs: total, failures, properties: results.map(({ name, runs, ms, failed }) => ({ name, runs, ms, failed })) };
  writeFileSync(path.join(f.out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  console.log(`fuzz: ${total} inputs in ${summary.seconds} s, ${failures} failing propert${failures === 1 ? 'y' : 'ies'} (summary in ${path.join(f.out, 'summary.json')})`);
  process.exitCode = failures > 0 ? 1 : 0;
}

main().catch((e) => {
  console.error(`fuzz: ${(e as Error).message}`);
  process.exitCode = 2;
});
