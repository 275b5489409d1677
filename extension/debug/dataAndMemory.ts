/**
 * The DAP side of data breakpoints and the memory view: what `dataBreakpointInfo`,
 * `setDataBreakpoints`, `readMemory` and `writeMemory` answer, in protocol terms, from the
 * Debuggee's plain data. The session calls these and sends what they return.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { DataBreakpointState, Debuggee } from '../../engine';

/** The most bytes one readMemory answers (VS Code's memory view asks for a few KiB at a time). */
export const MAX_READ = 1 << 20;

export function dataBreakpointInfo(d: Debuggee, args: DebugProtocol.DataBreakpointInfoArguments, frame: { threadId: number; index: number } | undefined): DebugProtocol.DataBreakpointInfoResponse['body'] {
  const info = d.dataBreakpointInfo({
    name: args.name,
    handle: args.variablesReference,
    threadId: frame?.threadId,
    frameIndex: frame?.index,
    asAddress: args.asAddress,
    bytes: args.bytes,
  });
  const body: DebugProtocol.DataBreakpointInfoResponse['body'] = { dataId: info.dataId, description: info.description, canPersist: false };
  if (info.accessTypes) body.accessTypes = info.accessTypes;
  return body;
}

export function toDapDataBreakpoint(s: DataBreakpointState): DebugProtocol.Breakpoint {
  const b: DebugProtocol.Breakpoint = { id: s.id, verified: s.verified };
  if (s.message) b.message = s.message;
  return b;
}

export function setDataBreakpoints(d: Debuggee, args: DebugProtocol.SetDataBreakpointsArguments): DebugProtocol.SetDataBreakpointsResponse['body'] {
  return {
    breakpoints: d.setDataBreakpoints(args.breakpoints.map((b) => ({ dataId: b.dataId, accessType: b.accessType, condition: b.condition, hitCondition: b.hitCondition }))).map(toDapDataBreakpoint),
  };
}

export function readMemory(d: Debuggee, args: DebugProtocol.ReadMemoryArguments): DebugProtocol.ReadMemoryResponse['body'] | string {
  if (args.count > MAX_READ) return `readMemory: fltsim answers at most ${MAX_READ} bytes at a time (asked for ${args.count})`;
  const r = d.readMemory(args.memoryReference, args.offset ?? 0, args.count);
  if (typeof r === 'string') return `readMemory: ${r}`;
  const body: DebugProtocol.ReadMemoryResponse['body'] = { address: r.address };
  if (r.bytes.length > 0) body.data = Buffer.from(r.bytes).toString('base64');
  if (r.unreadable > 0) body.unreadableBytes = r.unreadable;
  return body;
}

export function writeMemory(d: Debuggee, args: DebugProtocol.WriteMemoryArguments): { body: DebugProtocol.WriteMemoryResponse['body']; count: number } | string {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(args.data)) return 'writeMemory: data must be base64';
  const bytes = new Uint8Array(Buffer.from(args.data, 'base64'));
  const r = d.writeMemory(args.memoryReference, args.offset ?? 0, bytes);
  if (!r.ok) return `writeMemory: ${r.message}`;
  return { body: { offset: args.offset ?? 0, bytesWritten: bytes.length }, count: bytes.length };
}
