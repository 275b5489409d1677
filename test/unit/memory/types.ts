// Struct types built by hand, so the memory tests do not depend on what the prelude declares.
import { CHAR, LONG, LONGLONG, UCHAR, ULONG, ULONGLONG, USHORT, VOID, pointerTo, type CType, type Field, type StructType } from '../../../engine/c/types';

export function struct(tag: string, fields: Field[], union = false): StructType {
  return { kind: 'struct', tag, union, fields };
}

export const PVOID: CType = pointerTo(VOID);

/** LARGE_INTEGER as the WDK declares it: an anonymous struct, a named one, and QuadPart. */
export const LARGE_INTEGER = struct('_LARGE_INTEGER', [
  { name: '<anonymous 1>', type: struct('<anonymous 2>', [{ name: 'LowPart', type: ULONG }, { name: 'HighPart', type: LONG }]) },
  { name: 'u', type: struct('<anonymous 3>', [{ name: 'LowPart', type: ULONG }, { name: 'HighPart', type: LONG }]) },
  { name: 'QuadPart', type: LONGLONG },
], true);

export const UNICODE_STRING = struct('_UNICODE_STRING', [
  { name: 'Length', type: USHORT },
  { name: 'MaximumLength', type: USHORT },
  { name: 'Buffer', type: pointerTo(USHORT) },
]);

export const KEY_VALUE_PARTIAL_INFORMATION = struct('_KEY_VALUE_PARTIAL_INFORMATION', [
  { name: 'TitleIndex', type: ULONG },
  { name: 'Type', type: ULONG },
  { name: 'DataLength', type: ULONG },
  { name: 'Data', type: { kind: 'array', of: UCHAR, length: 1 } },
]);

/** Bit-fields in two units plus a plain field between them. */
export const FLAGS = struct('_FLAGS', [
  { name: 'A', type: ULONG, bits: 3 },
  { name: 'B', type: ULONG, bits: 5 },
  { name: 'C', type: LONG, bits: 4 },
  { name: 'Mid', type: UCHAR },
  { name: 'D', type: ULONGLONG, bits: 40 },
  { name: 'E', type: ULONGLONG, bits: 24 },
]);

export const NODE = struct('_NODE', [
  { name: 'Tag', type: CHAR },
  { name: 'Next', type: PVOID },
  { name: 'Count', type: ULONG },
  { name: 'Key', type: LARGE_INTEGER },
  { name: 'Name', type: UNICODE_STRING },
  { name: 'Slots', type: { kind: 'array', of: ULONG, length: 3 } },
]);

/** The directory-entry shape: a NextEntryOffset chain and a flexible WCHAR name. */
export const DIR_ENTRY = struct('_DIR_ENTRY', [
  { name: 'NextEntryOffset', type: ULONG },
  { name: 'FileIndex', type: ULONG },
  { name: 'EndOfFile', type: LARGE_INTEGER },
  { name: 'FileNameLength', type: ULONG },
  { name: 'FileName', type: { kind: 'array', of: USHORT, length: 1 } },
]);

/** A record that embeds a LIST_ENTRY-like link in its middle (for CONTAINING_RECORD). */
export const LINK = struct('_LINK', [{ name: 'Flink', type: PVOID }, { name: 'Blink', type: PVOID }]);
export const RECORD = struct('_RECORD', [
  { name: 'Id', type: ULONG },
  { name: 'Links', type: LINK },
  { name: 'Payload', type: ULONGLONG },
]);
