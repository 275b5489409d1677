/**
 * Schedule exploration (issue 19): how many schedules per second `fltsim explore` runs on a
 * three-operation cancel race (two reads and a cancellation on a cancel-safe list, target ≥ 5,000/s),
 * and how many schedules the search needs with and without partial-order reduction on the race
 * fixtures: to find the race in the buggy driver, and to cover every schedule of the fixed twin.
 *
 * Each schedule is a whole run: a fresh World (driver loaded from the compiled code the prepared
 * scenario keeps, DriverEntry run) and the scenario's workload under the policy, judged as `fltsim explore` judges it. Times are CPU time of the
 * process, best of the rounds, so other work on the shared machine counts less. It also prints how
 * many of the steps each schedule runs repeat the previous schedule's (the prefix before the first
 * choice that differs): what restoring a saved state at the branch point, instead of running from
 * the start, would skip; and how much of that a snapshot taken only where no thread has a C frame
 * on its stack could skip (the cheaper form of prefix sharing in docs/explore.md, an upper bound),
 * or only where no thread is a suspended generator (finished, parked, not started). A third line
 * counts what a copy of a run at its first decision would hold (test/bench/worldGraph.ts: objects,
 * closures, WeakMaps, generators) and times a generic copy of its data against reaching that point
 * afresh.
 *
 * Per machine: the same scenario explored by whole `fltsim explore` processes (dist/cli.js, built by
 * `npm run bench`), with one thread, with one per processor and with `--jobs auto` (the default)
 * (one thread, a helper brought in once the search has run 1 s), timed on the wall clock from start to exit
 * (start-up, preparation, worker threads' start-up and the report included): what a user waits
 * for. Twice: the first 3,000 schedules, and the exhaustive search (79,340 schedules). The issue's
 * target ("on this machine") is judged on the default.
 *
 *   node --import tsx test/bench/explore.bench.ts [--source | --bundle FILE] [--json]
 *   FLTSIM_BENCH_SCHEDULES=500 npm run bench -- explore     a shorter run
 *   FLTSIM_BENCH_EXHAUSTIVE_PREEMPTIONS=1 …                 a shorter exhaustive search (3,490 schedules)
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { census, copyData, reachable } from './worldGraph';

type ExploreApi = Pick<typeof import('../../engine'), 'prepareScenario' | 'ScenarioExplorer' | 'ScenarioTarget' | 'DepthFirstSearch'> & Pick<typeof import('../../extension/shared/nodeFiles'), 'nodeFiles'>;

function loadApi(): ExploreApi {
  /* eslint-disable @typescript-eslint/no-require-imports -- CommonJS: the sources through tsx, or a bundle made at run time */
  if (process.argv.includes('--source')) return { ...require('../../engine'), ...require('../../extension/shared/nodeFiles') } as ExploreApi;
  // --bundle FILE measures a bundle made earlier (another commit's), to compare two in one sitting.
  const given = process.argv.indexOf('--bundle');
  if (given >= 0 && process.argv[given + 1]) return require(resolve(process.argv[given + 1])) as ExploreApi;
  const out = resolve('node_modules', '.cache', 'fltsim-bench', 'explore.cjs');
  const built = spawnSync(process.execPath, ['scripts/build.mjs', '--bench-bundle', 'explore', out], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error('bundling the explorer failed (scripts/build.mjs --bench-bundle explore)');
  return require(out) as ExploreApi;
  /* eslint-enable @typescript-eslint/no-require-imports */
}

const api = loadApi();
const SOURCE = process.argv.includes('--source') ? 'sources through tsx' : process.argv.includes('--bundle') ? `bundle ${process.argv[process.argv.indexOf('--bundle') + 1]}` : 'esbuild bundle';
const FIXTURES = join(__dirname, '..', 'fixtures', 'explore');
const SCHEDULES = Number(process.env.FLTSIM_BENCH_SCHEDULES ?? 3000);
const ROUNDS = Number(process.env.FLTSIM_BENCH_ROUNDS ?? 3);
/** The preemption bound of the per-machine exhaustive search (2: the whole 79,340 schedules). */
const EXHAUSTIVE_BOUND = Number(process.env.FLTSIM_BENCH_EXHAUSTIVE_PREEMPTIONS ?? 2);
/** Runs without reduction stop here: the fixed flag race has tens of thousands of schedules. */
const FULL_CAP = Number(process.env.FLTSIM_BENCH_FULL_CAP ?? 5000);

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

type Prepared = Extract<Awaited<ReturnType<ExploreApi['prepareScenario']>>, { ok: true }>['prepared'];

async function prepare(file: string): Promise<Prepared> {
  const p = await api.prepareScenario(join(FIXTURES, file), api.nodeFiles);
  if (!p.ok) throw new Error(`${file} does not prepare: ${p.diagnostics.map((d) => d.message).join('; ')}`);
  return p.prepared;
}

interface Counted {
  run: number;
  pruned: number;
  failing: number;
  exhaustive: boolean;
  estimated: number | null;
  stoppedBy: string;
  ms: number;
}

function explore(prepared: Prepared, options: { reduction: boolean; max: number; estimate?: boolean; strategy?: 'dfs' | 'random' | 'pct' }): Counted {
  const t0 = cpuMs();
  const ex = new api.ScenarioExplorer(prepared, { strategy: options.strategy ?? 'dfs', reduction: options.reduction, maxSchedules: options.max, estimateProbes: options.estimate ? 32 : 0, minimise: false });
  while (ex.step());
  const { report } = ex.finish();
  const ms = cpuMs() - t0;
  const s = report.schedules;
  return { run: s.run, pruned: s.pruned, failing: s.failing, exhaustive: s.exhaustive, estimated: s.estimated, stoppedBy: report.stoppedBy, ms };
}

const fmt = (n: number): string => n.toLocaleString('en-US');

/**
 * The depth-first search as `explore` runs it without reduction, watching each run's scheduler:
 * the steps taken before the first decision whose choice differs from the previous run's.
 */
function sharedPrefix(prepared: Prepared, max: number): { runs: number; fraction: number; quietFraction: number; idleFraction: number; steps: number; decisions: number; beforeFirst: number } {
  const target = new api.ScenarioTarget(prepared, prepared.scenario.seed ?? 1);
  const search = new api.DepthFirstSearch(2, false, undefined);
  let previous: number[] = [];
  let runs = 0;
  let steps = 0;
  let repeated = 0;
  let decisions = 0;
  let beforeFirst = 0;
  // What a snapshot restricted to moments with no C frame on any thread's stack could skip: the
  // steps before the last such decision inside the repeated prefix.
  let quietRepeated = 0;
  // Tighter: decisions where every thread is finished, a service thread parked in its wait for
  // work, or not started yet — the only moments a thread's state is data rather than a suspended
  // generator, where a snapshot could be restored without copying a generator.
  let idleRepeated = 0;
  for (let policy = search.next(); policy !== undefined && runs < max; policy = search.next()) {
    const stepAt: number[] = [];
    const quiet: boolean[] = [];
    const idle: boolean[] = [];
    const { observer } = policy;
    const choose = policy.choose.bind(policy);
    // The policy is asked only once the run is under way, when `world` is set.
    const world = target.world({
      observer,
      choose: (d) => {
        stepAt.push(world.sim.stepCount);
        let driverFrame = false;
        world.sim.kernel.threads.forEach((t) => (driverFrame ||= t.frames.some((f) => f.file !== undefined)));
        quiet.push(!driverFrame);
        let busy = false;
        world.sim.kernel.threads.forEach((t) => (busy ||= t.state !== 'terminated' && !t.parked && t.hasRun));
        idle.push(!busy);
        return choose(d);
      },
    });
    world.run(target.budget);
    search.learn(observer);
    const choices = observer.choices;
    let k = 0;
    while (k < choices.length && k < previous.length && choices[k] === previous[k]) k++;
    const total = world.sim.stepCount;
    runs++;
    steps += total;
    repeated += k < stepAt.length ? stepAt[k]! : total;
    let q = Math.min(k, stepAt.length - 1);
    while (q >= 0 && !quiet[q]) q--;
    quietRepeated += q >= 0 ? stepAt[q]! : 0;
    let d = Math.min(k, stepAt.length - 1);
    while (d >= 0 && !idle[d]) d--;
    idleRepeated += d >= 0 ? stepAt[d]! : 0;
    decisions += choices.length;
    beforeFirst += stepAt[0] ?? total;
    previous = choices;
  }
  return { runs, fraction: repeated / steps, quietFraction: quietRepeated / steps, idleFraction: idleRepeated / steps, steps: steps / runs, decisions: decisions / runs, beforeFirst: beforeFirst / runs };
}

/**
 * What a fork of a run at its first decision (every schedule's common prefix: the World built and
 * run until the policy is first asked) would copy, and what it costs to reach that point afresh.
 */
function forkCensus(prepared: Prepared, rounds: number): { step: number; threads: string; own: ReturnType<typeof census>; freshUs: number; copyUs: number } {
  const target = new api.ScenarioTarget(prepared, prepared.scenario.seed ?? 1);
  const stop = new Error('first decision');
  const atFirstDecision = (): { world: ReturnType<typeof target.world>; step: number } => {
    let step = -1;
    const world = target.world({
      choose: () => {
        step = world.sim.stepCount;
        throw stop;
      },
    });
    try {
      world.run(target.budget);
    } catch (e) {
      if (e !== stop) throw e;
    }
    return { world, step };
  };
  const a = atFirstDecision();
  const b = atFirstDecision();
  // What two runs hold by identity is what every run shares (the compiled driver, the C runtime).
  const inB = reachable({ world: b.world });
  const shared = new Set([...reachable({ world: a.world }).keys()].filter((o) => inB.has(o)));
  const own = reachable({ world: a.world }, shared);
  const threads: string[] = [];
  a.world.sim.kernel.threads.forEach((t) => threads.push(`${t.name} ${t.state}${t.frames.some((f) => f.file !== undefined) ? ' (C frame)' : ''}`));
  // Alternating batches, the best of each kind: the machine is shared and its load moves.
  let freshUs = Infinity;
  let copyUs = Infinity;
  const batch = Math.max(1, Math.floor(rounds / 6));
  for (let r = 0; r < 6; r++) {
    let t0 = cpuMs();
    for (let i = 0; i < batch; i++) atFirstDecision();
    freshUs = Math.min(freshUs, ((cpuMs() - t0) / batch) * 1000);
    t0 = cpuMs();
    for (let i = 0; i < batch; i++) copyData(a.world, shared);
    copyUs = Math.min(copyUs, ((cpuMs() - t0) / batch) * 1000);
  }
  return { step: a.step, threads: threads.join(', '), own: census(own), freshUs, copyUs };
}

/** Wall-clock schedules per second of whole `fltsim explore --jobs N|auto` processes on `file`, best of `rounds`. */
function perMachine(file: string, jobs: number | 'auto', rounds: number, args: string[]): { perSecond: number; ms: number; run: number; exhaustive: boolean } | undefined {
  const cli = resolve('dist', 'cli.js');
  if (!existsSync(cli)) return undefined;
  let best: { perSecond: number; ms: number; run: number; exhaustive: boolean } | undefined;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    const p = spawnSync(process.execPath, [cli, 'explore', join(FIXTURES, file), '--json', '--jobs', String(jobs), ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const ms = performance.now() - t0;
    if (p.status !== 0) throw new Error(`fltsim explore ${file} --jobs ${jobs} exited ${p.status}: ${p.stderr}`);
    const { run, exhaustive } = (JSON.parse(p.stdout) as { schedules: { run: number; exhaustive: boolean } }).schedules;
    if (!best || ms < best.ms) best = { perSecond: (run / ms) * 1000, ms, run, exhaustive };
  }
  return best;
}

/** The per-machine lines of one search: one thread, one per processor, auto (the default); and the ratios to one thread. */
function perMachineLines(what: string, rounds: number, args: string[]): void {
  const cpus = availableParallelism();
  const kinds: (number | 'auto')[] = cpus > 1 ? [1, cpus, 'auto'] : [1, 'auto'];
  const measured = new Map<number | 'auto', { perSecond: number; ms: number; run: number; exhaustive: boolean }>();
  for (const jobs of kinds) {
    const m = perMachine('cancel-race/three.fltsim', jobs, rounds, args);
    if (m === undefined) {
      console.log('explore per machine: not measured (no dist/cli.js: run `npm run build`)');
      return;
    }
    measured.set(jobs, m);
    const label = jobs === 'auto' ? '--jobs auto (the default: a helper after 1 s, far from the budget)' : jobs === 1 ? '--jobs 1 (one thread)' : `--jobs ${jobs} (one per processor of ${cpus})`;
    const ratio = jobs === 1 ? '' : `, ${(measured.get(1)!.ms / m.ms).toFixed(2)}× the speed of --jobs 1`;
    console.log(
      `explore per machine, ${what}, ${label}: ${fmt(Math.round(m.perSecond))} schedules/s of wall-clock time ` +
        `(whole \`fltsim explore\` processes, start-up included: ${fmt(m.run)} schedules${m.exhaustive ? ', exhaustive' : ''} in ${fmt(Math.round(m.ms))} ms, best of ${rounds}${ratio}; load ${loadavg()[0]!.toFixed(1)})` +
        `${jobs === 'auto' ? '; target ≥ 5,000/s on this machine, judged on the default' : ''}`,
    );
  }
}

async function main(): Promise<void> {
  // Throughput: depth-first without reduction, so every run goes to the end; the fixed driver, so no
  // run stops the search early.
  const three = await prepare('cancel-race/three.fltsim');
  explore(three, { reduction: false, max: Math.min(300, SCHEDULES) });
  let best: Counted | undefined;
  for (let r = 0; r < ROUNDS; r++) {
    const c = explore(three, { reduction: false, max: SCHEDULES });
    if (c.failing > 0) throw new Error('the three-operation bench scenario has a failing schedule: the fixed driver should pass every one');
    if (!best || c.ms < best.ms) best = c;
  }
  const perSecond = (best!.run / best!.ms) * 1000;
  console.log(`explore per thread: ${fmt(Math.round(perSecond))} schedules/s of CPU time (3-operation cancel race without reduction, ${fmt(best!.run)} schedules in ${fmt(Math.round(best!.ms))} ms CPU, ${(best!.ms / best!.run).toFixed(2)} ms each, best of ${ROUNDS}; ${SOURCE})`);
  perMachineLines(`${fmt(SCHEDULES)} schedules`, ROUNDS, ['--no-reduction', '--max-schedules', String(SCHEDULES)]);
  // The whole search (79,340 schedules within two preemptions): the steady state of a search big
  // enough to need speed. About a minute per process on an idle machine, so one round; a shorter
  // exhaustive search (FLTSIM_BENCH_EXHAUSTIVE_PREEMPTIONS=1: 3,490 schedules) when that is too long.
  perMachineLines(`the exhaustive search within ${EXHAUSTIVE_BOUND} preemption${EXHAUSTIVE_BOUND === 1 ? '' : 's'}`, 1, ['--no-reduction', '--preemptions', String(EXHAUSTIVE_BOUND), '--max-schedules', '1000000']);
  const prefix = sharedPrefix(three, Math.min(SCHEDULES, 2000));
  console.log(
    `explore: ${(prefix.fraction * 100).toFixed(0)}% of the steps a schedule runs repeat the previous schedule's prefix ` +
      `(${fmt(prefix.runs)} schedules, ${prefix.steps.toFixed(0)} scheduler steps and ${prefix.decisions.toFixed(1)} decisions each on average, ` +
      `${prefix.beforeFirst.toFixed(0)} steps before the first decision); ` +
      `${(prefix.quietFraction * 100).toFixed(0)}% could be skipped by a snapshot taken only where no thread has a C frame on its stack, ` +
      `${(prefix.idleFraction * 100).toFixed(0)}% by one taken only where every thread is finished, parked in its wait for work or not started`,
  );
  const fork = forkCensus(three, 300);
  console.log(
    `explore: at its first decision (step ${fork.step}) a run holds ${fmt(fork.own.objects)} objects of its own through data ` +
      `(${fmt(fork.own.typedBytes)} bytes in typed arrays), ${fork.own.closures} closures of its own, ${fork.own.weakMaps} WeakMaps ` +
      `(${fork.own.weakHolders.slice(0, 4).map(([at, n]) => `${at} ${n}`).join(', ')}) and ${fork.own.generators} live generators ` +
      `[threads: ${fork.threads}]; reaching that point afresh takes ${fork.freshUs.toFixed(0)} µs, a generic copy of the data ${fork.copyUs.toFixed(0)} µs ` +
      `(closures by holder: ${fork.own.closureHolders.slice(0, 6).map(([at, n]) => `${at} ${n}`).join(', ')})`,
  );

  // Schedules needed, with and without partial-order reduction.
  const rows: Record<string, unknown>[] = [];
  for (const fixture of ['cancel-race', 'flag-race', 'teardown-race', 'lock-order']) {
    const race = await prepare(`${fixture}/race.fltsim`);
    const fixed = await prepare(`${fixture}/fixed.fltsim`);
    const foundReduced = explore(race, { reduction: true, max: FULL_CAP });
    const foundFull = explore(race, { reduction: false, max: FULL_CAP });
    const allReduced = explore(fixed, { reduction: true, max: 100_000, estimate: true });
    const allFull = explore(fixed, { reduction: false, max: FULL_CAP });
    const foundRandom = explore(race, { reduction: false, max: FULL_CAP, strategy: 'random' });
    const foundPct = explore(race, { reduction: false, max: FULL_CAP, strategy: 'pct' });
    const found = (c: Counted): string => (c.failing > 0 ? `${fmt(c.run)}` : `not found in ${fmt(c.run)}`);
    const all = (c: Counted): string => (c.exhaustive ? `${fmt(c.run)} (exhaustive)` : `> ${fmt(c.run)} (stopped at the cap)`);
    console.log(
      `explore ${fixture}: race found after ${found(foundReduced)} schedules with reduction, ${found(foundFull)} without ` +
        `(random walk: ${found(foundRandom)}, PCT: ${found(foundPct)}); ` +
        `fixed twin: ${all(allReduced)} with reduction (${fmt(allReduced.pruned)} runs cut short), ${all(allFull)} without` +
        `${allReduced.estimated !== null ? `, about ${fmt(allReduced.estimated)} estimated` : ''}`,
    );
    rows.push({ fixture, foundReduced, foundFull, foundRandom, foundPct, allReduced, allFull });
  }
  if (process.argv.includes('--json')) console.log(JSON.stringify({ schedulesPerSecond: Math.round(perSecond), rows }));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
