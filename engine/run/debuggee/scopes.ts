/**
 * What a debugger's Variables view shows for a stopped frame, as lazily expanding trees: Locals (C
 * values with their types), Thread (IRQL, locks, queue served, virtual time), Callback Data (the
 * operation in hand and every live one), Queues (system work queues, the completion context and
 * each cancel-safe queue, paged) and Filters (altitudes, instances, contexts). One instance serves
 * one stop: the snapshot it reads is taken once.
 */
import type { CType } from '../../c/types';
import { FltCallbackData } from '../../fltmgr/callbackData';
import { majorName } from '../../fltmgr/constants';
import type { Snapshot } from '../../fltmgr/snapshot';
import { formatIrql } from '../../kernel/irql';
import { formatStatus } from '../../kernel/status';
import type { KThread } from '../../kernel/thread';
import type { CFrame } from '../../interp/frame';
import type { Module } from '../../interp/module';
import { inspectContext } from '../evaluate';
import { inspect, inspectAt, type Expandable, type InspectChild } from '../inspect';
import { ownerOf, Ptr } from '../../memory/pointer';
import { peekAt } from '../../memory/typed';
import type { World } from '../world';

export interface ScopeTree {
  name: string;
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

/**
 * The driver's globals (the frame's driver when several are loaded), where a WinDbg user looks for
 * the counters and lists `ba` watches. A file's static that shares its name with another's shows
 * under its link key and cannot be named by an expression from every frame, so it is not editable.
 */
function globalsOf(world: World, module: Module): InspectChild[] {
  const ctx = inspectContext(world);
  return module.program.globals.map((g) => {
    const index = module.shared.globalIndex.get(g.key)!;
    const p = module.env.globals[index];
    const type = module.shared.slots[index]!.type;
    if (!p) return { name: g.key, value: NOT_YET, type: '' };
    const shown = inspectAt(ctx, p, type, g.name, g.name);
    return g.key === g.name ? { name: g.name, evaluateName: g.name, ...shown } : { name: g.key, ...shown, place: undefined };
  });
}

export class Scopes {
  private snap: Snapshot | undefined;

  constructor(private readonly world: World) {}

  /** Built on first use: it walks every live object. */
  private snapshot(): Snapshot {
    return (this.snap ??= this.world.sim.snapshot());
  }

  /** `frame` is the driver frame selected, if the selected frame is one. */
  scopes(thread: KThread, frame: CFrame | undefined): ScopeTree[] {
    const out: ScopeTree[] = [];
    if (frame) out.push({ name: 'Locals', container: { named: () => this.locals(frame) } });
    const module = (frame && this.world.modules.get(frame.fn.module)) ?? this.world.modules.values().next().value;
    if (module && module.program.globals.length > 0) out.push({ name: 'Globals', container: { named: () => globalsOf(this.world, module) } });
    out.push({ name: 'Thread', container: { named: () => this.thread(thread) } });
    out.push({ name: 'Callback Data', container: { named: () => this.callbackData(thread, frame) } });
    out.push({ name: 'Queues', container: { named: () => this.queues() } });
    out.push({ name: 'Filters', container: { named: () => this.filters() } });
    return out;
  }

  private locals(frame: CFrame): InspectChild[] {
    const ctx = inspectContext(this.world);
    return frame.fn.locals.map((l) => {
      const v = frame.vars[l.slot];
      // A local in memory: its slot holds the pointer to its storage.
      if (l.inMemory) return v instanceof Ptr ? { name: l.name, evaluateName: l.name, ...inspectAt(ctx, v, l.type, l.name, l.name) } : { name: l.name, value: NOT_YET, type: '' };
      const shown = inspect(ctx, v, l.type, l.name, l.name);
      return { name: l.name, evaluateName: l.name, ...shown, place: { type: l.type, get: () => frame.vars[l.slot], set: (x: unknown) => { frame.vars[l.slot] = x; } } };
    });
  }

  private thread(t: KThread): InspectChild[] {
    const sim = this.world.sim;
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

  /**
   * The operation the frame works on: a local holding callback data (with the local's name, so its
   * fields have C paths), else the data the thread's callback was given.
   */
  private dataInHand(thread: KThread, frame: CFrame | undefined): { data: FltCallbackData; path?: string } | undefined {
    if (frame) {
      for (const l of frame.fn.locals) {
        const slot = frame.vars[l.slot];
        const v = ownerOf(l.inMemory && l.type.kind === 'ptr' && slot instanceof Ptr && slot.alloc ? peekAt(slot.alloc, slot.offset, l.type) : slot);
        if (!(v instanceof FltCallbackData)) continue;
        const typed = l.type.kind === 'ptr' && l.type.to.kind === 'struct' && l.type.to.tag === '_FLT_CALLBACK_DATA';
        return { data: v, path: typed ? l.name : `((PFLT_CALLBACK_DATA)${l.name})` };
      }
    }
    const d = thread.scope?.data;
    return d instanceof FltCallbackData ? { data: d } : undefined;
  }

  private callbackData(thread: KThread, frame: CFrame | undefined): InspectChild[] {
    const inHand = this.dataInHand(thread, frame);
    const live = this.snapshot().callbackData;
    const fm = this.world.sim.fltmgr;
    return [
      inHand ? this.dataNode('In hand', inHand.data, inHand.path) : leaf('In hand', 'none (this frame has no callback data)'),
      paged('Live', live, (d) => {
        const obj = fm.live.get(d.id);
        return obj ? this.dataNode(`#${d.id}`, obj) : leaf(`#${d.id}`, `${d.majorName} ${d.state}`);
      }),
    ];
  }

  private dataNode(name: string, d: FltCallbackData, path?: string): InspectChild {
    const snap = this.snapshot().callbackData.find((x) => x.id === d.id);
    const major = majorName(d.Iopb.MajorFunction);
    const summary = `#${d.id} ${major} ${d.state}${snap?.owner ? ` (${snap.owner})` : ''}`;
    return group(name, summary, () => {
      const t = this.callbackDataType();
      const rows: InspectChild[] = [
        leaf('Id', `#${d.id}`),
        leaf('Request', snap ? `I/O #${snap.io} ${snap.op} ${snap.path}` : ''),
        leaf('MajorFunction', major),
        leaf('State', d.state + (snap?.owner ? ` (${snap.owner})` : '')),
        leaf('IRP-based', snap ? (snap.irp ? 'yes' : snap.fastIo ? 'no (fast I/O)' : 'no') : ''),
        leaf('Cancelled', snap?.cancelled ? 'yes' : 'no'),
        leaf('IoStatus.Status', formatStatus(d.IoStatus.Status >>> 0)),
        leaf('IoStatus.Information', String(d.IoStatus.Information)),
      ];
      // The C struct exists once driver code has seen the operation; looking does not create it.
      if (t && d.inMemory) {
        const at = d.cAddress(this.world.sim.kernel.marshal);
        rows.push({ name: 'FLT_CALLBACK_DATA', evaluateName: path && `*${path}`, ...inspect(inspectContext(this.world), at, t, undefined, path && `(*${path})`) });
      }
      rows.push(paged('History', d.history, (e) => leaf(`${e.time} ms`, `${e.kind}: ${e.detail}`)));
      return rows;
    });
  }

  private callbackDataType(): CType | undefined {
    for (const m of this.world.modules.values()) {
      const t = m.struct('_FLT_CALLBACK_DATA');
      if (t) return t;
    }
    return undefined;
  }

  private queues(): InspectChild[] {
    const snap = this.snapshot();
    const fm = this.world.sim.fltmgr;
    const rows: InspectChild[] = [];
    for (const q of snap.workQueues) {
      const items = [...q.running.map((r) => ({ ...r, running: true })), ...q.pending.map((p) => ({ ...p, running: false, thread: 0 }))];
      rows.push(paged(q.name, items, (it, i) => leaf(`[${i}]`, `${it.kind} WI#${it.id} → ${it.routine}${it.running ? ` (running on thread ${it.thread})` : ' (queued)'}`)));
    }
    rows.push(paged('Completion context', snap.completion.pending, (p, i) => leaf(`[${i}]`, p.label)));
    for (const q of snap.cbdqs) {
      const node = paged(q.name, q.items, (id, i) => {
        const obj = fm.live.get(id);
        return obj ? this.dataNode(`[${i}]`, obj) : leaf(`[${i}]`, `#${id}`);
      });
      node.value = `${q.enabled ? 'enabled' : 'disabled'}, ${q.items.length} queued, ${q.lock} lock (${q.filter})`;
      rows.push(node);
    }
    return rows;
  }

  private filters(): InspectChild[] {
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
