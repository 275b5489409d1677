/**
 * FileStreamInformation: the data streams of a file as FILE_STREAM_INFORMATION entries chained by
 * NextEntryOffset, each 8-byte aligned: the default stream `::$DATA` first (files only; a folder
 * lists just its named streams), then each named stream as `:name:$DATA`, with its size and
 * allocation. Asked on any stream's handle, it lists the streams of the whole file.
 */
import type { Marshal } from '../kernel/marshal';
import { layout, Out, type InfoResult } from './fileinfo';
import type { FsNode } from './fsTree';

export function streamInformation(m: Marshal, node: FsNode): InfoResult {
  const file = node.base ?? node;
  const streams: { name: string; node: FsNode }[] = file.directory ? [] : [{ name: '::$DATA', node: file }];
  for (const s of file.namedStreams) if (!s.removed) streams.push({ name: `:${s.streamName}:$DATA`, node: s });
  const l = layout(m, '_FILE_STREAM_INFORMATION');
  const nameAt = l.off('StreamName');
  const sizes = streams.map((s) => align8(nameAt + 2 * s.name.length));
  const total = sizes.reduce((a, b) => a + b, 0);
  const o = new Out(total);
  let at = 0;
  streams.forEach((s, i) => {
    const last = i === streams.length - 1;
    o.u32(at + l.off('NextEntryOffset'), last ? 0 : sizes[i]!);
    o.u32(at + l.off('StreamNameLength'), 2 * s.name.length);
    o.i64(at + l.off('StreamSize'), s.node.size);
    o.i64(at + l.off('StreamAllocationSize'), s.node.allocationSize);
    o.chars(at + nameAt, s.name);
    at += sizes[i]!;
  });
  // The last entry needs no padding after its name.
  const end = streams.length === 0 ? 0 : total - sizes[sizes.length - 1]! + nameAt + 2 * streams[streams.length - 1]!.name.length;
  return { fixed: streams.length === 0 ? 0 : nameAt, bytes: o.bytes.subarray(0, end) };
}

function align8(n: number): number {
  return (n + 7) & ~7;
}
