/**
 * The built-in answers to `#include <fltKernel.h>`, `<ntifs.h>`, `<wdm.h>` and friends. Statuses are
 * generated from the engine's status table, so the C names and the values the engine returns are one
 * list.
 */
import { STATUS } from '../../kernel/status';
import { BASE_TYPES_H } from './basetypes';
import { FLTMGR_H } from './fltmgr';
import { KERNEL_H } from './kernel';

function statusHeader(): string {
  const lines = ['#ifndef _FLTSIM_STATUS_', '#define _FLTSIM_STATUS_'];
  for (const [name, value] of Object.entries(STATUS)) {
    lines.push(`#define ${name} ((NTSTATUS)0x${value.toString(16).toUpperCase().padStart(8, '0')}L)`);
  }
  lines.push('#endif', '');
  return lines.join('\n');
}

const BASE = '#include <fltsim_basetypes.h>\n#include <fltsim_status.h>\n';
const KERNEL = `${BASE}#include <fltsim_kernel.h>\n`;
const FLT = `${KERNEL}#include <fltsim_fltmgr.h>\n`;

/** Lower-case header name → text, as the preprocessor's `systemHeaders` option wants it. */
export function preludeHeaders(): Map<string, string> {
  return new Map<string, string>([
    ['fltsim_basetypes.h', BASE_TYPES_H],
    ['fltsim_status.h', statusHeader()],
    ['fltsim_kernel.h', KERNEL_H],
    ['fltsim_fltmgr.h', FLTMGR_H],
    ['fltkernel.h', FLT],
    ['fltkernel.h', FLT],
    ['ntifs.h', KERNEL],
    ['ntddk.h', KERNEL],
    ['wdm.h', KERNEL],
    ['ntdef.h', BASE],
    ['ntstatus.h', BASE],
    ['ntstrsafe.h', KERNEL],
    ['ntintsafe.h', BASE],
    ['wdmsec.h', KERNEL],
    ['bcrypt.h', BASE],
  ]);
}

/** Headers drivers include for annotations or analysis hints only; they contribute nothing here. */
export const IGNORED_HEADERS: ReadonlySet<string> = new Set([
  'dontuse.h', 'suppress.h', 'sal.h', 'specstrings.h', 'driverspecs.h', 'stdarg.h', 'stddef.h', 'initguid.h',
  'ntverp.h', 'wsk.h', 'ntddstor.h', 'ntddvol.h', 'ntddscsi.h', 'mountmgr.h', 'ntdddisk.h', 'ntifs_ex.h',
]);
