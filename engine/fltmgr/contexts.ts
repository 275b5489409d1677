/**
 * Contexts: reference-counted blocks of a registered type, attached to instances, volumes,
 * streams and stream handles. Allocation and every Get return a reference the driver must release;
 * an attachment holds its own reference until the context is deleted, replaced, or the object it
 * is attached to goes away. When the count reaches zero the ContextCleanupCallback runs (from a
 * worker when the last release happens at DISPATCH_LEVEL) and the memory is freed.
 */
import type { Co } from '../kernel/coroutine';
import { nameOf, type DriverFn } from '../kernel/driverFn';
import { Irql, irqlName } from '../kernel/irql';
import { callSite, kernelFrame, type Kernel } from '../kernel/kernel';
import type { SourceLocation } from '../kernel/events';
import { writeOut } from '../kernel/objects';
import type { PoolRoutines } from '../kernel/pool';
import { STATUS } from '../kernel/status';
import type { KThread } from '../kernel/thread';
import type { WorkEntry, WorkQueues } from '../kernel/workqueue';
import { contextTypeName, FLT_CONTEXT, FLT_SET_CONTEXT_KEEP_IF_EXISTS, IRP_MJ } from './constants';
import { Filter, Instance, Volume } from './objects';
import { FltCallbackData } from './callbackData';
import { FileObject } from './structs';
import { Ptr, type AllocPtr } from '../memory/pointer';

/** A reference a driver holds (not an attachment's): the routine that gave it and where. */
export interface HeldReference {
  routine: string;
  site: { location: SourceLocation; function: string } | undefined;
}

export class FltContext {
  refs = 1;
  /** Attachment keys holding a reference each. */
  readonly links = new Set<string>();
  /** The references drivers hold, oldest first; a release gives back the newest one taken in the same function. */
  readonly held: HeldReference[] = [];
  freed = false;

  constructor(
    readonly id: number,
    readonly type: number,
    readonly filter: Filter,
    readonly block: AllocPtr,
    readonly size: number,
    readonly paged: boolean,
  ) {}

  get name(): string {
    return `${contextTypeName(this.type)} #${this.id}`;
  }
}

class CleanupWork implements WorkEntry {
  readonly kind = 'context cleanup';
  constructor(
    readonly id: number,
    readonly label: string,
    private readonly body: (t: KThread) => Co<void>,
  ) {}

  run(t: KThread): Co<void> {
    return this.body(t);
  }
}

export class ContextRoutines {
  private nextId = 1;
  /** Contexts by their memory: C passes them back as pointers to the block's start. */
  private readonly byBlock = new WeakMap<object, FltContext>();
  /** Contexts not freed yet. */
  readonly live = new Map<number, FltContext>();
  private readonly attached = new Map<string, FltContext>();
  /** Transactions by identity: a context is attached to the transaction object, not to its address. */
  private readonly transactionIds = new WeakMap<object, number>();
  private nextTransactionId = 1;

  constructor(
    private readonly k: Kernel,
    private readonly pool: PoolRoutines,
    private readonly queues: WorkQueues,
  ) {}

  FltAllocateContext(Filter_: unknown, ContextType: number, ContextSize: number, PoolType: number, ReturnedContext: unknown): number {
    const k = this.k;
    k.checkIrql('FltAllocateContext');
    writeOut(ReturnedContext, null);
    if (!(Filter_ instanceof Filter)) {
      k.violation('bad-object', 'FltAllocateContext needs the filter handle');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    if (Filter_.deleting) return STATUS.STATUS_FLT_DELETING_OBJECT;
    const reg = Filter_.registration.contexts.get(ContextType);
    if (!reg) return STATUS.STATUS_FLT_CONTEXT_ALLOCATION_NOT_FOUND;
    if (this.pool.refuses('FltAllocateContext', ContextSize)) return STATUS.STATUS_INSUFFICIENT_RESOURCES;
    const paged = PoolType === 1 || PoolType === 5;
    if (paged && k.current.irql >= Irql.DISPATCH_LEVEL) k.violation('pool-paged-at-dispatch', 'FltAllocateContext allocates a paged-pool context at DISPATCH_LEVEL');
    const block = this.pool.allocate('FltAllocateContext', ContextSize, 'Context', reg.PoolTag ?? 0);
    const ctx = new FltContext(this.nextId++, ContextType, Filter_, block, ContextSize, paged);
    this.hold(ctx, 'FltAllocateContext');
    this.byBlock.set(block.alloc, ctx);
    this.live.set(ctx.id, ctx);
    writeOut(ReturnedContext, block);
    return STATUS.STATUS_SUCCESS;
  }

  /** Whether `v` is a live context of `type` (FltEnlistInTransaction checks its context). */
  isContext(v: unknown, type: number): boolean {
    const ctx = this.contextOf(v);
    return ctx !== undefined && !ctx.freed && ctx.type === type;
  }

  /** The context whose block `v` points to the start of. */
  private contextOf(v: unknown): FltContext | undefined {
    return v instanceof Ptr && v.alloc !== null && v.offset === 0 ? this.byBlock.get(v.alloc) : undefined;
  }

  FltReferenceContext(Context: unknown): void {
    this.k.checkIrql('FltReferenceContext');
    const ctx = this.context(Context, 'FltReferenceContext');
    if (ctx === null) return;
    if (ctx.freed) {
      this.k.violation('ctx-over-release', `FltReferenceContext on ${ctx.name} after it was freed (bug check 0xF5, parameter 0x6E)`);
      return;
    }
    ctx.refs++;
    this.hold(ctx, 'FltReferenceContext');
  }

  *FltReleaseContext(Context: unknown): Co<void> {
    const k = this.k;
    k.checkIrql('FltReleaseContext');
    const ctx = this.context(Context, 'FltReleaseContext');
    if (ctx === null) return;
    if (ctx.paged && k.current.irql >= Irql.DISPATCH_LEVEL) {
      k.violation('ctx-release-paged-dispatch', `FltReleaseContext on paged ${ctx.name} at ${irqlName(k.current.irql)}`);
    }
    if (!ctx.freed && ctx.held.length === 0 && ctx.refs > 0) {
      // Only attachments hold it: this release takes one of theirs, and the context can vanish under them.
      k.violation('ctx-over-release', `FltReleaseContext on ${ctx.name}, but the driver holds no reference to it (only its attachment does)`);
    }
    this.giveBack(ctx);
    yield* this.drop(k.current, ctx, 'FltReleaseContext');
  }

  *FltDeleteContext(Context: unknown): Co<void> {
    const k = this.k;
    k.checkIrql('FltDeleteContext');
    const ctx = this.context(Context, 'FltDeleteContext');
    if (ctx === null) return;
    if (ctx.type === FLT_CONTEXT.SECTION) {
      k.violation('ctx-delete-rules', `FltDeleteContext on ${ctx.name}: a section context goes away with FltCloseSectionForDataScan, never FltDeleteContext`);
      return;
    }
    if (ctx.held.length === 0) k.violation('ctx-delete-rules', `FltDeleteContext on ${ctx.name} without holding a reference to it (get one with FltGet*Context first)`);
    for (const key of [...ctx.links]) yield* this.unlink(k.current, key, ctx);
  }

  *FltSetInstanceContext(Instance_: unknown, Operation: number, NewContext: unknown, OldContext: unknown): Co<number> {
    if (!(Instance_ instanceof Instance)) return this.badTarget('FltSetInstanceContext', OldContext);
    return yield* this.set('FltSetInstanceContext', FLT_CONTEXT.INSTANCE, `i${Instance_.id}`, Instance_.deleting, Operation, NewContext, OldContext);
  }

  FltGetInstanceContext(Instance_: unknown, Context: unknown): number {
    if (!(Instance_ instanceof Instance)) return this.badTarget('FltGetInstanceContext', Context);
    return this.get('FltGetInstanceContext', `i${Instance_.id}`, Context);
  }

  *FltSetVolumeContext(Volume_: unknown, Operation: number, NewContext: unknown, OldContext: unknown): Co<number> {
    if (!(Volume_ instanceof Volume)) return this.badTarget('FltSetVolumeContext', OldContext);
    const ctx = this.contextOf(NewContext);
    return yield* this.set('FltSetVolumeContext', FLT_CONTEXT.VOLUME, `v${Volume_.id}:f${ctx?.filter.id ?? 0}`, ctx?.filter.deleting ?? false, Operation, NewContext, OldContext);
  }

  FltGetVolumeContext(Filter_: unknown, Volume_: unknown, Context: unknown): number {
    if (!(Filter_ instanceof Filter) || !(Volume_ instanceof Volume)) return this.badTarget('FltGetVolumeContext', Context);
    return this.get('FltGetVolumeContext', `v${Volume_.id}:f${Filter_.id}`, Context);
  }

  *FltSetStreamContext(Instance_: unknown, FileObject_: unknown, Operation: number, NewContext: unknown, OldContext: unknown): Co<number> {
    if (!(Instance_ instanceof Instance) || !(FileObject_ instanceof FileObject)) return this.badTarget('FltSetStreamContext', OldContext);
    const scope = this.k.current.scope;
    if (scope !== null && scope.role === 'pre' && scope.data instanceof FltCallbackData && scope.data.major === IRP_MJ.CREATE) {
      writeOut(OldContext, null);
      return STATUS.STATUS_NOT_SUPPORTED;
    }
    return yield* this.set('FltSetStreamContext', FLT_CONTEXT.STREAM, streamKey(Instance_, FileObject_), Instance_.deleting, Operation, NewContext, OldContext);
  }

  FltGetStreamContext(Instance_: unknown, FileObject_: unknown, Context: unknown): number {
    if (!(Instance_ instanceof Instance) || !(FileObject_ instanceof FileObject)) return this.badTarget('FltGetStreamContext', Context);
    return this.get('FltGetStreamContext', streamKey(Instance_, FileObject_), Context);
  }

  *FltSetStreamHandleContext(Instance_: unknown, FileObject_: unknown, Operation: number, NewContext: unknown, OldContext: unknown): Co<number> {
    if (!(Instance_ instanceof Instance) || !(FileObject_ instanceof FileObject)) return this.badTarget('FltSetStreamHandleContext', OldContext);
    return yield* this.set('FltSetStreamHandleContext', FLT_CONTEXT.STREAMHANDLE, `h${Instance_.id}:${FileObject_.id}`, Instance_.deleting, Operation, NewContext, OldContext);
  }

  FltGetStreamHandleContext(Instance_: unknown, FileObject_: unknown, Context: unknown): number {
    if (!(Instance_ instanceof Instance) || !(FileObject_ instanceof FileObject)) return this.badTarget('FltGetStreamHandleContext', Context);
    return this.get('FltGetStreamHandleContext', `h${Instance_.id}:${FileObject_.id}`, Context);
  }

  *FltSetFileContext(Instance_: unknown, FileObject_: unknown, Operation: number, NewContext: unknown, OldContext: unknown): Co<number> {
    if (!(Instance_ instanceof Instance) || !(FileObject_ instanceof FileObject)) return this.badTarget('FltSetFileContext', OldContext);
    const scope = this.k.current.scope;
    if (scope !== null && scope.role === 'pre' && scope.data instanceof FltCallbackData && scope.data.major === IRP_MJ.CREATE) {
      writeOut(OldContext, null);
      return STATUS.STATUS_NOT_SUPPORTED;
    }
    return yield* this.set('FltSetFileContext', FLT_CONTEXT.FILE, fileKey(Instance_, FileObject_), Instance_.deleting, Operation, NewContext, OldContext);
  }

  FltGetFileContext(Instance_: unknown, FileObject_: unknown, Context: unknown): number {
    if (!(Instance_ instanceof Instance) || !(FileObject_ instanceof FileObject)) return this.badTarget('FltGetFileContext', Context);
    return this.get('FltGetFileContext', fileKey(Instance_, FileObject_), Context);
  }

  *FltSetTransactionContext(Instance_: unknown, Transaction: unknown, Operation: number, NewContext: unknown, OldContext: unknown): Co<number> {
    if (!(Instance_ instanceof Instance) || !isObject(Transaction)) return this.badTarget('FltSetTransactionContext', OldContext);
    return yield* this.set('FltSetTransactionContext', FLT_CONTEXT.TRANSACTION, this.transactionKey(Instance_, Transaction), Instance_.deleting, Operation, NewContext, OldContext);
  }

  FltGetTransactionContext(Instance_: unknown, Transaction: unknown, Context: unknown): number {
    if (!(Instance_ instanceof Instance) || !isObject(Transaction)) return this.badTarget('FltGetTransactionContext', Context);
    return this.get('FltGetTransactionContext', this.transactionKey(Instance_, Transaction), Context);
  }

  *FltDeleteInstanceContext(Instance_: unknown, OldContext: unknown): Co<number> {
    if (!(Instance_ instanceof Instance)) return this.badTarget('FltDeleteInstanceContext', OldContext);
    return yield* this.detach('FltDeleteInstanceContext', `i${Instance_.id}`, OldContext);
  }

  *FltDeleteVolumeContext(Filter_: unknown, Volume_: unknown, OldContext: unknown): Co<number> {
    if (!(Filter_ instanceof Filter) || !(Volume_ instanceof Volume)) return this.badTarget('FltDeleteVolumeContext', OldContext);
    return yield* this.detach('FltDeleteVolumeContext', `v${Volume_.id}:f${Filter_.id}`, OldContext);
  }

  *FltDeleteStreamContext(Instance_: unknown, FileObject_: unknown, OldContext: unknown): Co<number> {
    if (!(Instance_ instanceof Instance) || !(FileObject_ instanceof FileObject)) return this.badTarget('FltDeleteStreamContext', OldContext);
    return yield* this.detach('FltDeleteStreamContext', streamKey(Instance_, FileObject_), OldContext);
  }

  *FltDeleteStreamHandleContext(Instance_: unknown, FileObject_: unknown, OldContext: unknown): Co<number> {
    if (!(Instance_ instanceof Instance) || !(FileObject_ instanceof FileObject)) return this.badTarget('FltDeleteStreamHandleContext', OldContext);
    return yield* this.detach('FltDeleteStreamHandleContext', `h${Instance_.id}:${FileObject_.id}`, OldContext);
  }

  *FltDeleteFileContext(Instance_: unknown, FileObject_: unknown, OldContext: unknown): Co<number> {
    if (!(Instance_ instanceof Instance) || !(FileObject_ instanceof FileObject)) return this.badTarget('FltDeleteFileContext', OldContext);
    return yield* this.detach('FltDeleteFileContext', fileKey(Instance_, FileObject_), OldContext);
  }

  *FltDeleteTransactionContext(Instance_: unknown, Transaction: unknown, OldContext: unknown): Co<number> {
    if (!(Instance_ instanceof Instance) || !isObject(Transaction)) return this.badTarget('FltDeleteTransactionContext', OldContext);
    return yield* this.detach('FltDeleteTransactionContext', this.transactionKey(Instance_, Transaction), OldContext);
  }

  /** The section context a data-scan section of this stream has on the instance, with a new reference. */
  FltGetSectionContext(Instance_: unknown, FileObject_: unknown, Context: unknown): number {
    if (!(Instance_ instanceof Instance) || !(FileObject_ instanceof FileObject)) return this.badTarget('FltGetSectionContext', Context);
    return this.get('FltGetSectionContext', sectionKey(Instance_, FileObject_), Context);
  }

  // --- section contexts (FltCreateSectionForDataScan, dataScan.ts) ---

  /** The live context `v` points to when it is a FLT_SECTION_CONTEXT, else undefined. */
  sectionContext(v: unknown): FltContext | undefined {
    const ctx = this.contextOf(v);
    return ctx !== undefined && !ctx.freed && ctx.type === FLT_CONTEXT.SECTION ? ctx : undefined;
  }

  /** Whether the stream already has a section context on the instance. */
  hasSection(inst: Instance, fo: FileObject): boolean {
    return this.attached.has(sectionKey(inst, fo));
  }

  /** A section was created for `ctx`: the section holds a reference to it until it is closed. */
  attachSection(ctx: FltContext, inst: Instance, fo: FileObject): void {
    const key = sectionKey(inst, fo);
    ctx.refs++;
    ctx.links.add(key);
    this.attached.set(key, ctx);
  }

  /** FltCloseSectionForDataScan: the section's reference to its context goes. */
  *detachSection(t: KThread, ctx: FltContext): Co<void> {
    for (const key of [...ctx.links]) yield* this.unlink(t, key, ctx);
  }

  /** File systems fltsim models support every kind of context on every file object. */
  FltSupportsFileContexts(FileObject_: unknown): number {
    this.k.checkIrql('FltSupportsFileContexts');
    return FileObject_ instanceof FileObject ? 1 : 0;
  }

  FltSupportsFileContextsEx(FileObject_: unknown, _Instance: unknown): number {
    this.k.checkIrql('FltSupportsFileContextsEx');
    return FileObject_ instanceof FileObject ? 1 : 0;
  }

  FltSupportsStreamContexts(FileObject_: unknown): number {
    this.k.checkIrql('FltSupportsStreamContexts');
    return FileObject_ instanceof FileObject ? 1 : 0;
  }

  FltSupportsStreamHandleContexts(FileObject_: unknown): number {
    this.k.checkIrql('FltSupportsStreamHandleContexts');
    return FileObject_ instanceof FileObject ? 1 : 0;
  }

  /** A transaction's contexts go when it commits or rolls back. */
  *deleteTransactionContexts(t: KThread, transaction: object): Co<void> {
    const id = this.transactionIds.get(transaction);
    if (id === undefined) return;
    for (const [key, ctx] of [...this.attached]) {
      if (key.startsWith('t') && key.endsWith(`:x${id}`)) yield* this.unlink(t, key, ctx);
    }
  }

  // --- teardown and end of run ---

  /** Instance teardown: drops the instance's own contexts and its stream and stream-handle contexts. */
  *deleteInstanceContexts(t: KThread, inst: Instance): Co<void> {
    const prefixes = [`i${inst.id}`, `s${inst.id}:`, `h${inst.id}:`, `f${inst.id}:`, `t${inst.id}:`];
    for (const [key, ctx] of [...this.attached]) {
      if (prefixes.some((p) => key === p || key.startsWith(p))) yield* this.unlink(t, key, ctx);
    }
  }

  /** FltUnregisterFilter: drops volume contexts, then reports what the driver still references. */
  *deleteFilterContexts(t: KThread, f: Filter): Co<void> {
    for (const [key, ctx] of [...this.attached]) {
      if (ctx.filter === f) yield* this.unlink(t, key, ctx);
    }
    for (const ctx of [...this.live.values()]) {
      if (ctx.filter !== f || ctx.freed) continue;
      this.reportLeaks(ctx, 'when the filter unregisters', t);
      this.free(ctx);
    }
  }

  /** One ctx-ref-leak per reference still held, at the line that took it. */
  private reportLeaks(ctx: FltContext, when: string, t: KThread): void {
    const held = ctx.held.length > 0 ? ctx.held : [{ routine: 'a reference', site: undefined }];
    for (const h of held) {
      const where = h.site ? ` in ${h.site.function}` : '';
      this.k.violation('ctx-ref-leak', `the reference to ${ctx.name} of ${ctx.filter.name} from ${h.routine}${where} is never released ${when}; every reference taken must be released with FltReleaseContext`, 0, t, h.site?.location);
    }
  }

  /** End of run: references the driver holds beyond the attachments, for filters still loaded. */
  endChecks(): void {
    for (const ctx of this.live.values()) {
      if (ctx.freed || ctx.filter.state === 'unloaded') continue;
      if (ctx.refs - ctx.links.size > 0) this.reportLeaks(ctx, 'by the end of the run', this.k.outside);
    }
  }

  // --- the mechanics ---

  private context(v: unknown, routine: string): FltContext | null {
    const ctx = this.contextOf(v);
    if (ctx === undefined) {
      this.k.violation(v === null || v === undefined ? 'null-param' : 'bad-object', `${routine} needs a context from FltAllocateContext or FltGet*Context`);
      return null;
    }
    return ctx;
  }

  private badTarget(routine: string, out: unknown): number {
    writeOut(out, null);
    this.k.violation('bad-object', `${routine} was given the wrong kind of object to attach to`);
    return STATUS.STATUS_INVALID_PARAMETER;
  }

  private get(routine: string, key: string, out: unknown): number {
    this.k.checkIrql(routine);
    const ctx = this.attached.get(key);
    if (ctx === undefined) {
      writeOut(out, null);
      return STATUS.STATUS_NOT_FOUND;
    }
    ctx.refs++;
    this.hold(ctx, routine);
    writeOut(out, ctx.block);
    return STATUS.STATUS_SUCCESS;
  }

  private *set(routine: string, type: number, key: string, deleting: boolean, op: number, newContext: unknown, oldOut: unknown): Co<number> {
    const k = this.k;
    k.checkIrql(routine);
    if (oldOut !== null && oldOut !== undefined) writeOut(oldOut, null);
    const ctx = this.context(newContext, routine);
    if (ctx === null) return STATUS.STATUS_INVALID_PARAMETER;
    if (ctx.type !== type) {
      k.violation('bad-object', `${routine} was given ${ctx.name}; it needs a ${contextTypeName(type)}`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    if (deleting) return STATUS.STATUS_FLT_DELETING_OBJECT;
    if (ctx.links.size > 0) return STATUS.STATUS_FLT_CONTEXT_ALREADY_LINKED;
    const existing = this.attached.get(key);
    if (existing !== undefined) {
      if (op === FLT_SET_CONTEXT_KEEP_IF_EXISTS) {
        if (oldOut !== null && oldOut !== undefined) {
          existing.refs++;
          this.hold(existing, `${routine} (OldContext)`);
          writeOut(oldOut, existing.block);
        }
        return STATUS.STATUS_FLT_CONTEXT_ALREADY_DEFINED;
      }
      existing.links.delete(key);
      this.attached.delete(key);
      // The attachment's reference goes to the caller when it asked for the old context.
      if (oldOut !== null && oldOut !== undefined) {
        this.hold(existing, `${routine} (OldContext)`);
        writeOut(oldOut, existing.block);
      } else yield* this.drop(k.current, existing, routine);
    }
    ctx.refs++;
    ctx.links.add(key);
    this.attached.set(key, ctx);
    return STATUS.STATUS_SUCCESS;
  }

  /** The caller now holds a reference, taken here. */
  private hold(ctx: FltContext, routine: string): void {
    ctx.held.push({ routine, site: callSite(this.k.current) });
  }

  /** A release gives back the newest reference taken in the releasing function, else the newest. */
  private giveBack(ctx: FltContext): void {
    if (ctx.held.length === 0) return;
    const fn = callSite(this.k.current)?.function;
    let i = ctx.held.length - 1;
    for (let j = i; j >= 0; j--) {
      if (ctx.held[j]!.site?.function === fn) {
        i = j;
        break;
      }
    }
    ctx.held.splice(i, 1);
  }

  /** FltDelete*Context: detaches; with OldContext the attachment's reference goes to the caller. */
  private *detach(routine: string, key: string, oldOut: unknown): Co<number> {
    const k = this.k;
    k.checkIrql(routine);
    writeOut(oldOut, null);
    const ctx = this.attached.get(key);
    if (ctx === undefined) return STATUS.STATUS_NOT_FOUND;
    if (oldOut !== null && oldOut !== undefined) {
      ctx.links.delete(key);
      this.attached.delete(key);
      this.hold(ctx, `${routine} (OldContext)`);
      writeOut(oldOut, ctx.block);
    } else {
      yield* this.unlink(k.current, key, ctx);
    }
    return STATUS.STATUS_SUCCESS;
  }

  private transactionKey(inst: Instance, transaction: object): string {
    let id = this.transactionIds.get(transaction);
    if (id === undefined) {
      id = this.nextTransactionId++;
      this.transactionIds.set(transaction, id);
    }
    return `t${inst.id}:x${id}`;
  }

  private *unlink(t: KThread, key: string, ctx: FltContext): Co<void> {
    if (!ctx.links.delete(key)) return;
    this.attached.delete(key);
    yield* this.drop(t, ctx, 'context deletion');
  }

  /** Drops one reference; at zero, runs the cleanup callback and frees the memory. */
  private *drop(t: KThread, ctx: FltContext, routine: string): Co<void> {
    const k = this.k;
    if (ctx.freed || ctx.refs <= 0) {
      k.violation('ctx-over-release', `${routine} on ${ctx.name}, which has no reference left (bug check 0xF5, parameter 0x6D)`);
      return;
    }
    if (--ctx.refs > 0) return;
    const reg = ctx.filter.registration.contexts.get(ctx.type);
    const cleanup = reg?.ContextCleanupCallback as DriverFn | null | undefined;
    if (!cleanup) {
      this.free(ctx);
      return;
    }
    const name = nameOf(cleanup, 'ContextCleanup');
    const run = function* (this: ContextRoutines, th: KThread): Co<void> {
      const depth = th.frames.length;
      th.frames.push(kernelFrame('FltpFreeContext', 'fltmgr'));
      try {
        yield* k.callDriver(th, cleanup, name, [ctx.block, ctx.type]);
      } finally {
        th.frames.length = depth;
      }
      this.free(ctx);
    }.bind(this);
    if (t.irql >= Irql.DISPATCH_LEVEL) this.queues.delayed.enqueue(new CleanupWork(ctx.id, name, run));
    else yield* run(t);
  }

  private free(ctx: FltContext): void {
    ctx.held.length = 0;
    ctx.freed = true;
    this.live.delete(ctx.id);
    this.pool.free('FltReleaseContext', ctx.block);
  }
}

/**
 * A stream context belongs to one stream of the file (`a.txt:alt` has its own FsContext, and
 * `a.txt::$DATA` is `a.txt`). Keyed by the stream's stable key, not its path, so the context
 * follows the file through a rename.
 */
function streamKey(inst: Instance, fo: FileObject): string {
  return `s${inst.id}:${fo.stream.key}`;
}

/** A section context belongs to the stream's data-scan section on one instance. */
function sectionKey(inst: Instance, fo: FileObject): string {
  return `x${inst.id}:${fo.stream.key}`;
}

/** A file context belongs to the file: every stream of it (`a.txt`, `a.txt:alt`) shares it, through renames too. */
function fileKey(inst: Instance, fo: FileObject): string {
  return `f${inst.id}:${(fo.stream.node?.base?.stream ?? fo.stream).key}`;
}

function isObject(v: unknown): v is object {
  return typeof v === 'object' && v !== null;
}
