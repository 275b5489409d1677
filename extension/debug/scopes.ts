/**
 * What the Variables view shows for a stopped frame, as trees the session hands to VS Code:
 * Locals (C values with their types), Thread (IRQL, locks, queue served, virtual time), Callback Data
 * (the operation in hand and every live one), Queues (system work queues and each cancel-safe queue,
 * in order, paged) and Filters (altitudes, instances, contexts). Nothing here speaks DAP.
 */
import {
  CFrame, FltCallbackData, Ptr, flt, formatIrql, formatStatus, inspect, inspectAt, inspectContext, ownerOf, peekAt, type CType, type Expandable,
  type InspectChild, type KThread, type Snapshot, type World,
} from '../../engine';

export interface ScopeTree {
  name: string;
  expensive: boolean;
  /** Large scopes expose indexed children so the client pages them. */
  container: Expandable;
}

function leaf(name: string, value: string, type = ''): InspectChild {
  return { name, value, type };
}

function group(name: string, value: string, children: () => InspectChild[]): InspectChild {
  return { name, value, type: '', expand: { named: children } };
}

function paged<T>(name: string, items: readonly T[], render: (item: T, index: number) => InspectChild): InspectChild {
  return {
    name,
    value: `${items.length} item${items.length === 1 ? '' : 's'}`,
    type: '',
    expand: { indexedCount: items.length, indexed: (start, count) => items.slice(start, start + count).map((it, i) => render(it, start + i)) },
  };
}

const NOT_YET = '<not yet assigned>';

export class ScopeBuilder {
  private snapshotCache: { generation: number; snapshot: Snapshot } | undefined;

  constructor(private readonly world: () => World, private readonly generation: () => number) {}

  /** One snapshot per stop: building it walks every live object. */
  snapshot(): Snapshot {
    const gen = this.generation();
    if (!this.snapshotCache || this.snapshotCache.generation !== gen) this.snapshotCache = { generation: gen, snapshot: this.world().sim.snapshot() };
    return this.snapshotCache.snapshot;
  }

  scopes(thread: KThread, frame: CFrame | undefined): ScopeTree[] {
    const out: ScopeTree[] = [];
    if (frame) out.push({ name: 'Locals', expensive: false, container: { named: () => this.locals(frame) } });
    out.push({ name: 'Thread', expensive: false, container: { named: () => this.thread(thread) } });
    out.push({ name: 'Callback Data', expensive: false, container: { named: () => this.callbackData(thread, frame) } });
    out.push({ name: 'Queues', expensive: false, container: { named: () => this.queues() } });
    out.push({ name: 'Filters', expensive: false, container: { named: () => this.filters() } });
    return out;
  }

  locals(frame: CFrame): InspectChild[] {
    const ctx = inspectContext(this.world());
    return frame.fn.locals.map((l) => {
      const v = frame.vars[l.slot];
      // A local in memory: its slot holds the pointer to its storage.
      if (l.inMemory) return v instanceof Ptr ? { name: l.name, evaluateName: l.name, ...inspectAt(ctx, v, l.type, l.name, l.name) } : { name: l.name, value: NOT_YET, type: '' };
      const shown = inspect(ctx, v, l.type, l.name, l.name);
      return { name: l.name, evaluateName: l.name, ...shown, place: { type: l.type, get: () => frame.vars[l.slot], set: (x: unknown) => { frame.vars[l.slot] = x; } } };
    });
  }

  thread(t: KThread): InspectChild[] {
    const sim = this.world().sim;
    const snap = this.snapshot().threads.find((x) => x.id === t.id);
    const rows: InspectChild[] = [
      leaf('IRQL', formatIrql(t.irql), 'KIRQL'),
      leaf('Name', t.name),
      leaf('State', t.state + (t.waitingOn ? ` (waiting for ${t.waitingOn})` : '')),
      leaf('Role', t.role),
      leaf('Priority', String(t.priority)),
      leaf('Virtual time', `${sim.now} ms`),
      leaf('Step', String(sim.stepCount)),
    ];
    rows.push(t.held.length === 0 ? leaf('Locks held', 'none') : group('Locks held', t.held.map((l) => `${l.kind} ${l.name}`).join(', '), () => t.held.map((l, i) => leaf(`[${i}]`, `${l.kind} ${l.name}`))));
    if (t.serves) rows.push(leaf('Serves', t.serves));
    if (snap?.running) rows.push(leaf('Running', snap.running));
    if (t.criticalRegion > 0) rows.push(leaf('Critical region depth', String(t.criticalRegion)));
    return rows;
  }

  /** The operation the frame works on: a local holding callback data, else the thread's callback's. */
  dataInHand(thread: KThread, frame: CFrame | undefined): FltCallbackData | undefined {
    if (frame) {
      for (const l of frame.fn.locals) {
        const v = l.inMemory && l.type.kind === 'ptr' && frame.vars[l.slot] instanceof Ptr ? peekAt((frame.vars[l.slot] as Ptr).alloc!, (frame.vars[l.slot] as Ptr).offset, l.type) : frame.vars[l.slot];
        const owner = ownerOf(v);
        if (owner instanceof FltCallbackData) return owner;
      }
    }
    const d = thread.scope?.data;
    return d instanceof FltCallbackData ? d : undefined;
  }

  callbackData(thread: KThread, frame: CFrame | undefined): InspectChild[] {
    const inHand = this.dataInHand(thread, frame);
    const live = this.snapshot().callbackData;
    const rows: InspectChild[] = [];
    rows.push(inHand ? this.dataNode('In hand', inHand) : leaf('In hand', 'none (this frame has no callback data)'));
    rows.push(paged(`Live`, live, (d) => {
      const obj = this.world().sim.fltmgr.live.get(d.id);
      return obj ? this.dataNode(`#${d.id}`, obj) : leaf(`#${d.id}`, `${d.majorName} ${d.state}`);
    }));
    return rows;
  }

  private dataNode(name: string, d: FltCallbackData): InspectChild {
    const snap = this.snapshot().callbackData.find((x) => x.id === d.id);
    const summary = `#${d.id} ${majorNameOf(d)} ${d.state}${snap?.owner ? ` (${snap.owner})` : ''}`;
    return group(name, summary, () => {
      const ctx = inspectContext(this.world());
      const t = this.callbackDataType();
      const rows: InspectChild[] = [
        leaf('Id', `#${d.id}`),
        leaf('Request', snap ? `I/O #${snap.io} ${snap.op} ${snap.path}` : ''),
        leaf('MajorFunction', majorNameOf(d)),
        leaf('State', d.state + (snap?.owner ? ` (${snap.owner})` : '')),
        leaf('IRP-based', snap ? (snap.irp ? 'yes' : snap.fastIo ? 'no (fast I/O)' : 'no') : ''),
        leaf('Cancelled', snap?.cancelled ? 'yes' : 'no'),
        leaf('IoStatus.Status', formatStatus(d.IoStatus.Status >>> 0)),
        leaf('IoStatus.Information', String(d.IoStatus.Information)),
      ];
      // The C struct exists once driver code has seen the operation; looking does not create it.
      if (t && d.inMemory) rows.push({ name: 'FLT_CALLBACK_DATA', ...inspect(ctx, d.cAddress(this.world().sim.kernel.marshal), t) });
      rows.push(paged('History', d.history, (e) => leaf(`${e.time} ms`, `${e.kind}: ${e.detail}`)));
      return rows;
    });
  }

  private callbackDataType(): CType | undefined {
    for (const m of this.world().modules.values()) {
      const t = m.unit.structs.get('_FLT_CALLBACK_DATA');
      if (t) return t;
    }
    return undefined;
  }

  queues(): InspectChild[] {
    const snap = this.snapshot();
    const rows: InspectChild[] = [];
    for (const q of snap.workQueues) {
      const items = [...q.running.map((r) => ({ ...r, running: true })), ...q.pending.map((p) => ({ ...p, running: false, thread: 0 }))];
      rows.push(paged(q.name, items, (it, i) => leaf(`[${i}]`, `${it.kind} WI#${it.id} → ${it.routine}${it.running ? ` (running on thread ${it.thread})` : ' (queued)'}`)));
    }
    rows.push(paged('Completion context', snap.completion.pending, (p, i) => leaf(`[${i}]`, p.label)));
    for (const q of snap.cbdqs) {
      const node = paged(`${q.name}`, q.items, (id, i) => {
        const obj = this.world().sim.fltmgr.live.get(id);
        return obj ? this.dataNode(`[${i}]`, obj) : leaf(`[${i}]`, `#${id}`);
      });
      node.value = `${q.enabled ? 'enabled' : 'disabled'}, ${q.items.length} queued, ${q.lock} lock (${q.filter})`;
      rows.push(node);
    }
    return rows;
  }

  filters(): InspectChild[] {
    return this.snapshot().filters.map((f) =>
      group(f.name, `altitude ${f.altitude}, ${f.state}`, () => [
        leaf('Altitude', f.altitude),
        leaf('State', f.state),
        leaf('Rundown references', String(f.rundown)),
        paged('Instances', f.instances, (i) => leaf(`#${i.id}`, `${i.volume} at ${i.altitude}, ${i.state}, ${i.outstanding} outstanding`)),
        paged('Contexts', f.contexts, (c) => leaf(`#${c.id}`, `${c.type}, ${c.refs} reference(s), ${c.attachments} attachment(s)`)),
      ]),
    );
  }
}

function majorNameOf(d: FltCallbackData): string {
  return flt.majorName(d.Iopb.MajorFunction);
}
