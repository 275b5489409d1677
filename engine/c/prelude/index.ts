/**
 * The built-in answers to `#include <fltKernel.h>`, `<ntifs.h>`, `<wdm.h>` and friends, one module per
 * area (docs/wdk-surface.md lists them). Statuses are generated from the engine's status table, so
 * the C names and the values the engine returns are one list.
 */
import { STATUS } from '../../kernel/status';
import { BASE_TYPES_H } from './basetypes';
import { CMCALLBACK_H } from './cmcallback';
import { REGISTRY_H } from './registry';
import { CNG_H } from './cng';
import { CRT_H } from './crt';
import { CSQ_H } from './csq';
import { FILEINFO_H } from './fileinfo';
import { FLTDECODE_H } from './fltdecode';
import { FLTIO_H } from './fltio';
import { FSDRIVER_H } from './fsdriver';
import { EXRTL_H } from './exRtl';
import { HANDLE_WAITS_H } from './handleWaits';
import { FLTMGR_H } from './fltmgr';
import { FLTNAMES_H } from './fltnames';
import { FCB_H } from './fcb';
import { FLTOBJECTS_H } from './fltobjects';
import { FSCTL_H } from './fsctl';
import { IO_H } from './io';
import { KERNEL_H } from './kernel';
import { NET_H } from './net';
import { OBJECT_H } from './object';
import { PROCESS_H } from './process';
import { RTL_H } from './rtl';
import { TIMEFIELDS_H } from './timefields';
import { SECURITY_H } from './security';
import { SESSIONS_H } from './sessions';
import { STORAGE_H } from './storage';
import { NTSTRSAFE_H, STRSAFE_H } from './strsafe';
import { NTIMAGE_H } from './ntimage';
import { MATH_H, STDBOOL_H, STDINT_H } from './stdheaders';
import { TIMERS_H } from './timers';
import { TOKENS_H } from './tokens';

function statusHeader(): string {
  const lines = ['#ifndef _FLTSIM_STATUS_', '#define _FLTSIM_STATUS_'];
  for (const [name, value] of Object.entries(STATUS)) {
    lines.push(`#define ${name} ((NTSTATUS)0x${value.toString(16).toUpperCase().padStart(8, '0')}L)`);
  }
  lines.push('#endif', '');
  return lines.join('\n');
}

/** The area headers in dependency order; each WDK header includes a prefix of this list. */
const AREAS: [name: string, text: string][] = [
  ['fltsim_basetypes.h', BASE_TYPES_H],
  ['fltsim_status.h', ''],
  ['fltsim_crt.h', CRT_H],
  ['fltsim_kernel.h', KERNEL_H],
  ['fltsim_security.h', SECURITY_H],
  ['fltsim_object.h', OBJECT_H],
  ['fltsim_handlewaits.h', HANDLE_WAITS_H],
  ['fltsim_process.h', PROCESS_H],
  ['fltsim_tokens.h', TOKENS_H],
  ['fltsim_cng.h', CNG_H],
  ['fltsim_cmcallback.h', CMCALLBACK_H],
  ['fltsim_registry.h', REGISTRY_H],
  ['fltsim_rtl.h', RTL_H],
  ['fltsim_ntstrsafe.h', NTSTRSAFE_H],
  ['fltsim_timefields.h', TIMEFIELDS_H],
  ['fltsim_fileinfo.h', FILEINFO_H],
  ['fltsim_io.h', IO_H],
  ['fltsim_sessions.h', SESSIONS_H],
  ['fltsim_timers.h', TIMERS_H],
  ['fltsim_csq.h', CSQ_H],
  ['fltsim_fsctl.h', FSCTL_H],
  ['fltsim_storage.h', STORAGE_H],
  ['fltsim_fcb.h', FCB_H],
  ['fltsim_fsdriver.h', FSDRIVER_H],
  ['fltsim_exrtl.h', EXRTL_H],
  ['fltsim_net.h', NET_H],
  ['fltsim_fltmgr.h', FLTMGR_H],
  ['fltsim_fltnames.h', FLTNAMES_H],
  ['fltsim_fltio.h', FLTIO_H],
  ['fltsim_fltdecode.h', FLTDECODE_H],
  ['fltsim_fltobjects.h', FLTOBJECTS_H],
];

function upTo(last: string): string {
  const end = AREAS.findIndex(([name]) => name === last);
  return AREAS.slice(0, end + 1).map(([name]) => `#include <${name}>\n`).join('');
}

/** Lower-case header name → text, as the preprocessor's `systemHeaders` option wants it. */
export function preludeHeaders(): Map<string, string> {
  const base = upTo('fltsim_crt.h');
  const kernel = upTo('fltsim_net.h');
  const flt = upTo('fltsim_fltobjects.h');
  return new Map<string, string>([
    ...AREAS.map(([name, text]): [string, string] => [name, name === 'fltsim_status.h' ? statusHeader() : text]),
    ['fltkernel.h', flt],
    ['ntifs.h', kernel],
    ['ntddk.h', kernel],
    ['wdm.h', kernel],
    ['csq.h', kernel],
    ['ntdef.h', base],
    // The SDK's shared Win32 type headers some drivers include after wdm.h; their kernel-safe part is ntdef.h's.
    ['windef.h', base],
    ['minwindef.h', base],
    ['basetsd.h', base],
    // GUID, IID and the GUID comparisons live with the base types.
    ['guiddef.h', base],
    ['ntstatus.h', base],
    ['ntstrsafe.h', kernel],
    ['ntintsafe.h', kernel],
    ['wdmsec.h', kernel],
    ['bcrypt.h', `${base}#include <fltsim_cng.h>\n`],
    ['fltsim_strsafe.h', STRSAFE_H],
    ['strsafe.h', `${kernel}#include <fltsim_strsafe.h>\n`],
    ['fltsim_ntimage.h', NTIMAGE_H],
    ['ntimage.h', `${kernel}#include <fltsim_ntimage.h>\n`],
    // NDIS is not modelled: its header gives the kernel's names, and a driver using NDIS's own stops at the first one.
    ['ndis.h', kernel],
    // WFP and TDI are not modelled either: their headers answer with the kernel's names, so a driver
    // stops at its first FWPS_/TDI_ name, which says why (engine/api/unmodelled.ts).
    ['fwpsk.h', kernel],
    ['fwpmk.h', kernel],
    ['fwpmu.h', kernel],
    ['tdikrnl.h', kernel],
    ['tdi.h', kernel],
    ['fltsim_stdint.h', STDINT_H],
    ['stdint.h', `${base}#include <fltsim_stdint.h>\n`],
    ['fltsim_math.h', MATH_H],
    ['math.h', `${base}#include <fltsim_math.h>\n`],
    ['fltsim_stdbool.h', STDBOOL_H],
    ['stdbool.h', `${base}#include <fltsim_stdbool.h>\n`],
    ['intrin.h', base],
    ['stdio.h', base],
    ['stdlib.h', base],
    ['string.h', base],
    // MSVC's old name for the memory functions of string.h.
    ['memory.h', base],
    ['wchar.h', base],
    ['ntdddisk.h', kernel],
    ['ntddstor.h', kernel],
    ['ntddvol.h', kernel],
    ['wsk.h', kernel],
    ['ws2def.h', kernel],
    ['ws2ipdef.h', kernel],
    ['mstcpip.h', kernel],
    ['ip2string.h', kernel],
    ['netioapi.h', kernel],
  ]);
}

/** Headers drivers include for annotations or analysis hints only; they contribute nothing here. */
export const IGNORED_HEADERS: ReadonlySet<string> = new Set([
  'dontuse.h', 'suppress.h', 'sal.h', 'specstrings.h', 'driverspecs.h', 'stdarg.h', 'stddef.h', 'initguid.h',
  'ntverp.h', 'ntddscsi.h', 'mountmgr.h', 'ntifs_ex.h',
]);
