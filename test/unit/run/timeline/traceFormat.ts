/**
 * A checker for Chrome's trace-event format (the JSON object form) as its specification describes
 * it: the fields each phase needs, metadata naming every track, `b`/`e` async pairs, `s`/`f` flow
 * pairs bound to a slice on their thread, and complete slices that nest on each thread. Returns the
 * problems found (empty: valid) and what the trace holds, for the tests to assert on.
 */
export interface TraceSummary {
  problems: string[];
  processName: string | undefined;
  /** tid → name */
  threads: Map<number, string>;
  slices: { name: string; tid: number; ts: number; dur: number; cat: string }[];
  instants: { name: string; tid: number; ts: number; cat: string }[];
  flows: { id: string; cat: string; fromTid: number; toTid: number; from: number; to: number }[];
  asyncs: { id: string; name: string; begin: number; end: number }[];
  counters: Map<string, { ts: number; value: number }[]>;
}

const PHASES = new Set(['B', 'E', 'X', 'i', 'I', 'C', 'b', 'n', 'e', 's', 't', 'f', 'M', 'P', 'O', 'N', 'D', 'R', 'c']);

export function checkTrace(json: unknown): TraceSummary {
  const problems: string[] = [];
  const out: TraceSummary = { problems, processName: undefined, threads: new Map(), slices: [], instants: [], flows: [], asyncs: [], counters: new Map() };
  if (typeof json !== 'object' || json === null || !Array.isArray((json as { traceEvents?: unknown }).traceEvents)) {
    problems.push('the top level is not an object with a traceEvents array');
    return out;
  }
  const top = json as { traceEvents: Record<string, unknown>[]; displayTimeUnit?: unknown };
  if (top.displayTimeUnit !== undefined && top.displayTimeUnit !== 'ms' && top.displayTimeUnit !== 'ns') problems.push(`displayTimeUnit ${String(top.displayTimeUnit)} is neither ms nor ns`);
  const usedTids = new Set<number>();
  const openAsync = new Map<string, { name: string; begin: number }>();
  const flowStarts = new Map<string, { tid: number; ts: number; cat: string }>();
  top.traceEvents.forEach((e, i) => {
    const where = `event ${i} (${JSON.stringify(e).slice(0, 80)})`;
    if (typeof e.name !== 'string') problems.push(`${where}: no name`);
    if (typeof e.ph !== 'string' || !PHASES.has(e.ph)) problems.push(`${where}: unknown phase ${String(e.ph)}`);
    if (typeof e.pid !== 'number') problems.push(`${where}: no pid`);
    const ph = e.ph as string;
    if (ph !== 'M' && (typeof e.ts !== 'number' || !Number.isFinite(e.ts) || e.ts < 0)) problems.push(`${where}: ts must be a non-negative number`);
    const threadScoped = ph === 'X' || ph === 'B' || ph === 'E' || (ph === 'i' && e.s === 't') || ph === 's' || ph === 'f' || ph === 'b' || ph === 'e';
    if (threadScoped) {
      if (typeof e.tid !== 'number') problems.push(`${where}: no tid`);
      else usedTids.add(e.tid);
    }
    switch (ph) {
      case 'M':
        if (e.name === 'process_name') out.processName = (e.args as { name?: string })?.name;
        else if (e.name === 'thread_name') {
          const name = (e.args as { name?: unknown })?.name;
          if (typeof name !== 'string' || typeof e.tid !== 'number') problems.push(`${where}: thread_name needs a tid and args.name`);
          else out.threads.set(e.tid, name);
        } else if (e.name !== 'thread_sort_index' && e.name !== 'process_sort_index' && e.name !== 'process_labels') problems.push(`${where}: unknown metadata ${String(e.name)}`);
        break;
      case 'X':
        if (typeof e.dur !== 'number' || e.dur < 0) problems.push(`${where}: a complete event needs dur >= 0`);
        else out.slices.push({ name: e.name as string, tid: e.tid as number, ts: e.ts as number, dur: e.dur, cat: String(e.cat ?? '') });
        break;
      case 'i':
        if (e.s !== undefined && e.s !== 't' && e.s !== 'p' && e.s !== 'g') problems.push(`${where}: instant scope must be t, p or g`);
        out.instants.push({ name: e.name as string, tid: e.tid as number, ts: e.ts as number, cat: String(e.cat ?? '') });
        break;
      case 'C': {
        const args = e.args as Record<string, unknown> | undefined;
        if (!args || Object.values(args).some((v) => typeof v !== 'number')) problems.push(`${where}: counter values must be numbers`);
        else {
          let list = out.counters.get(e.name as string);
          if (!list) out.counters.set(e.name as string, (list = []));
          list.push({ ts: e.ts as number, value: Object.values(args)[0] as number });
        }
        break;
      }
      case 'b':
      case 'e': {
        if (typeof e.id !== 'string' && typeof e.id !== 'number') { problems.push(`${where}: async events need an id`); break; }
        const key = `${String(e.cat)}/${String(e.id)}`;
        if (ph === 'b') {
          if (openAsync.has(key)) problems.push(`${where}: async ${key} begins twice`);
          openAsync.set(key, { name: e.name as string, begin: e.ts as number });
        } else {
          const b = openAsync.get(key);
          if (!b) problems.push(`${where}: async ${key} ends without a begin`);
          else {
            if ((e.ts as number) < b.begin) problems.push(`${where}: async ${key} ends before it begins`);
            out.asyncs.push({ id: String(e.id), name: b.name, begin: b.begin, end: e.ts as number });
            openAsync.delete(key);
          }
        }
        break;
      }
      case 's':
      case 'f': {
        if (typeof e.id !== 'string' && typeof e.id !== 'number') { problems.push(`${where}: flow events need an id`); break; }
        const key = `${String(e.cat)}/${String(e.id)}`;
        if (ph === 's') {
          if (flowStarts.has(key)) problems.push(`${where}: flow ${key} starts twice`);
          flowStarts.set(key, { tid: e.tid as number, ts: e.ts as number, cat: String(e.cat) });
        } else {
          const s = flowStarts.get(key);
          if (!s) problems.push(`${where}: flow ${key} ends without a start`);
          else {
            if ((e.ts as number) < s.ts) problems.push(`${where}: flow ${key} ends before it starts`);
            out.flows.push({ id: String(e.id), cat: s.cat, fromTid: s.tid, toTid: e.tid as number, from: s.ts, to: e.ts as number });
            flowStarts.delete(key);
          }
        }
        break;
      }
    }
  });
  for (const key of openAsync.keys()) problems.push(`async ${key} never ends`);
  for (const key of flowStarts.keys()) problems.push(`flow ${key} never ends`);
  for (const tid of usedTids) if (!out.threads.has(tid)) problems.push(`thread ${tid} has events but no thread_name`);
  // Slices on one thread nest: each is inside the one before it or after it ends.
  const byTid = new Map<number, TraceSummary['slices']>();
  for (const s of out.slices) {
    let list = byTid.get(s.tid);
    if (!list) byTid.set(s.tid, (list = []));
    list.push(s);
  }
  for (const [tid, list] of byTid) {
    list.sort((a, b) => a.ts - b.ts || b.dur - a.dur);
    const stack: { end: number; name: string }[] = [];
    for (const s of list) {
      while (stack.length > 0 && stack[stack.length - 1]!.end <= s.ts) stack.pop();
      const parent = stack[stack.length - 1];
      if (parent && s.ts + s.dur > parent.end) problems.push(`thread ${tid}: slice "${s.name}" overlaps "${parent.name}" without nesting`);
      stack.push({ end: s.ts + s.dur, name: s.name });
    }
  }
  // Flow ends bind to a slice around them on their thread.
  for (const f of out.flows) {
    for (const [tid, ts] of [[f.fromTid, f.from], [f.toTid, f.to]] as const) {
      if (!(byTid.get(tid) ?? []).some((s) => s.ts <= ts && ts < s.ts + s.dur)) problems.push(`flow ${f.id}: no slice on thread ${tid} at ${ts} to bind to`);
    }
  }
  return out;
}
