/**
 * What a data breakpoint would watch, worked out from what the user pointed at: a row of the
 * Variables view, an address with a byte count, or a C expression in a frame. Memory is watched by
 * allocation and offset (so a replayed World finds it again); a local the compiler keeps out of
 * memory is watched by its frame slot. Anything else is refused with the reason, as VS Code shows it.
 */
import type { CType } from '../../c/types';
import { hexAddress, Ptr } from '../../memory/pointer';
import { watchableSize, type DataBreakpointInfo, type DataBreakpoints } from './dataBreakpoints';
import type { Inspection } from './inspection';
import { parseAddress, type MemoryIndex } from './memoryIndex';
import type { EvaluateOptions } from './types';

export interface DataQuery {
  name: string;
  /** A Variables-view handle whose child `name` is meant (0 or absent: `name` is an expression or address). */
  handle?: number;
  threadId?: number;
  frameIndex?: number;
  asAddress?: boolean;
  bytes?: number;
}

export interface DataTargetContext {
  inspection: Inspection;
  memory: MemoryIndex;
  data: DataBreakpoints;
  /** The run's step now: a local's watch starts here. */
  stepCount: number;
}

export function dataTargetOf(query: DataQuery, cx: DataTargetContext): DataBreakpointInfo {
  const refuse = (why: string): DataBreakpointInfo => ({ dataId: null, description: why });
  if (query.asAddress) {
    const address = parseAddress(query.name) ?? addressOfExpression(query.name, query, cx);
    if (typeof address === 'string') return refuse(address);
    return memoryTarget(address, query.bytes ?? 1, `${query.bytes ?? 1} byte${(query.bytes ?? 1) === 1 ? '' : 's'} at ${hexAddress(address)}`, undefined, cx);
  }
  let text = query.name;
  let where: EvaluateOptions = { threadId: query.threadId, frameIndex: query.frameIndex };
  if (query.handle !== undefined && query.handle !== 0) {
    const child = cx.inspection.childExpression(query.handle, query.name);
    if (typeof child === 'string') return refuse(child);
    ({ text, where } = child);
  }
  const r = cx.inspection.evaluateRaw(`&(${text})`, where);
  if (r.ok && r.value instanceof Ptr && r.value.alloc !== null && r.type.kind === 'ptr') {
    const size = query.bytes ?? watchableSize(r.type.to);
    if (typeof size === 'string') return refuse(size);
    return memoryTarget(r.value.address, size, text, query.bytes === undefined ? r.type.to : undefined, cx);
  }
  const at = cx.inspection.evaluationFrame(where);
  const local = at?.frame.fn.locals.filter((l) => l.name === text && !l.inMemory).pop();
  if (at && local) {
    return cx.data.describe({ kind: 'local', thread: at.thread.id, frameIndex: at.index, fn: at.frame.fn.key, slot: local.slot, label: text, type: local.type, sinceStep: cx.stepCount });
  }
  return refuse(r.ok ? `'${text}' is not an object in memory` : `'${text}' cannot be watched: ${r.message}`);
}

function addressOfExpression(text: string, query: DataQuery, cx: DataTargetContext): number | string {
  const r = cx.inspection.evaluateRaw(text, { threadId: query.threadId, frameIndex: query.frameIndex });
  if (!r.ok) return `'${text}' is neither an address nor an expression fltsim can evaluate here: ${r.message}`;
  if (r.value instanceof Ptr) return r.value.address;
  if (typeof r.value === 'number' || typeof r.value === 'bigint') return Number(BigInt.asIntN(64, BigInt(r.value)));
  return `'${text}' is not an address`;
}

function memoryTarget(address: number, size: number, label: string, type: CType | undefined, cx: DataTargetContext): DataBreakpointInfo {
  const a = cx.memory.at(address);
  if (a === undefined || !a.accessible) return { dataId: null, description: `nothing the run can read is at ${hexAddress(address)}${a?.freed ? ` (${a.describe()} was freed)` : ''}` };
  if (a.id < 0) return { dataId: null, description: `${label} belongs to the debugger, not to the run` };
  const offset = address - a.base;
  if (offset + size > a.size) return { dataId: null, description: `${size} bytes at ${hexAddress(address)} run past the end of ${a.describe()}` };
  return cx.data.describe({ kind: 'memory', allocation: a.id, offset, size, label, type });
}
