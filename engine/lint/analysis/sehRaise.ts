/**
 * Which evaluations inside a `__try` body can send control to its `__except` handler.
 *
 * Kernel code gets an exception it can catch from two sources: routines that raise on purpose
 * (ProbeForRead/ProbeForWrite, MmProbeAndLockPages, the ExRaise* family) and faults on user-mode
 * addresses. A fault on a kernel address that is not valid is a bug check (PAGE_FAULT_IN_NONPAGED_AREA),
 * which no handler sees. So a memory or string routine raises only when one of the buffers it is
 * given may be user memory; when every buffer is provably the kernel's own (a string literal, the
 * function's own array or variable, a name-information block the Filter Manager allocated), the
 * handler is not reachable from that call and a path through it would report a leak that cannot happen.
 *
 * The driver's own functions, calls through pointers and routines fltsim does not know may do
 * anything, so they still may raise.
 */
import type { Expr, FunctionIR } from '../frontend/ir';
import { strip, walkEval } from '../frontend/exprs';
import { API_CATALOG } from '../../api/catalog';

/** Routines that raise whatever they are given. */
const RAISE_ALWAYS = new Set([
  'ProbeForRead', 'ProbeForWrite', 'MmProbeAndLockPages', 'MmMapLockedPages', 'ExRaiseStatus', 'RtlRaiseStatus',
  'ExRaiseAccessViolation', 'ExRaiseDatatypeMisalignment',
]);

/**
 * Memory and string routines, with the positions of the buffers they read or write: they fault
 * (and so may raise) only through those.
 */
const BUFFER_ARGS: Record<string, readonly number[]> = {
  RtlCopyMemory: [0, 1], RtlMoveMemory: [0, 1], RtlZeroMemory: [0], RtlFillMemory: [0], RtlCompareMemory: [0, 1],
  RtlEqualMemory: [0, 1], RtlSecureZeroMemory: [0], RtlCopyUnicodeString: [0, 1], RtlCopyString: [0, 1],
  memcpy: [0, 1], memmove: [0, 1], memset: [0], memcmp: [0, 1],
  wcsstr: [0, 1], wcschr: [0], wcsrchr: [0], wcslen: [0], wcsnlen: [0], wcscmp: [0, 1], wcsncmp: [0, 1], _wcsicmp: [0, 1], _wcsnicmp: [0, 1],
  wcscpy: [0, 1], wcsncpy: [0, 1], wcscat: [0, 1], wcsncat: [0, 1], _wcslwr: [0], _wcsupr: [0],
  strstr: [0, 1], strchr: [0], strrchr: [0], strlen: [0], strnlen: [0], strcmp: [0, 1], strncmp: [0, 1], _stricmp: [0, 1], _strnicmp: [0, 1],
  strcpy: [0, 1], strncpy: [0, 1], strcat: [0, 1], strncat: [0, 1],
};

/** Bit-test and status macros with mixed-case names: they compute, they do not raise. */
const PURE_MACROS = new Set(['min', 'max', 'FlagOn', 'BooleanFlagOn', 'SetFlag', 'ClearFlag', 'NT_SUCCESS', 'NT_ERROR', 'NT_WARNING', 'NT_INFORMATION', 'Add2Ptr', 'PtrOffset']);

/** Types whose objects the Filter Manager allocates in kernel pool and hands to the filter. */
const KERNEL_OWNED_TYPES = /^(?:P?FLT_FILE_NAME_INFORMATION|PCFLT_FILE_NAME_INFORMATION)\b/;

/** Whether evaluating `e` (inside a `__try` body of `fn`) may raise an exception. */
export function mayRaise(e: Expr, fn: FunctionIR): boolean {
  let found = false;
  walkEval(e, {
    call: (c) => {
      const name = c.callee;
      if (found) return;
      if (name === undefined || RAISE_ALWAYS.has(name)) { found = true; return; }
      const buffers = BUFFER_ARGS[name];
      if (buffers) {
        if (buffers.some((i) => i >= c.args.length || !isKernelOwned(c.args[i], fn))) found = true;
        return;
      }
      if (PURE_MACROS.has(name) || /^[A-Z0-9_]+$/.test(name) || API_CATALOG.has(name)) return;
      found = true;
    },
  });
  return found;
}

/** True when `e` points into memory that cannot be a user-mode address. */
function isKernelOwned(e: Expr, fn: FunctionIR): boolean {
  const s = strip(e);
  switch (s.k) {
    case 'str': return true;
    case 'unary': return s.op === '&' && isOwnedObject(s.arg, fn);
    case 'binary': return (s.op === '+' || s.op === '-') && isKernelOwned(s.left, fn) && !isPointerLike(s.right, fn);
    case 'id': {
      const local = fn.locals.get(s.name);
      return local !== undefined && local.array && !local.pointer;
    }
    // A pointer stored in a name-information block; a pointer read from anywhere else (an array
    // element, a local structure's field) may hold any address.
    case 'field': return rootIsNameInformation(s, fn);
    default: return false;
  }
}

/** An lvalue stored in the function's own variables or in a Filter Manager name block. */
function isOwnedObject(e: Expr, fn: FunctionIR): boolean {
  const s = strip(e);
  switch (s.k) {
    case 'id': {
      const local = fn.locals.get(s.name);
      return local !== undefined && !local.pointer;
    }
    case 'field': return s.arrow ? rootIsNameInformation(s, fn) : isOwnedObject(s.obj, fn);
    case 'index': return isKernelOwned(s.obj, fn) || isOwnedObject(s.obj, fn);
    default: return false;
  }
}

/** `nameInfo->Name.Buffer` and the like: every pointer in a name-information block is the Filter Manager's. */
function rootIsNameInformation(e: Expr, fn: FunctionIR): boolean {
  let s = strip(e);
  while (s.k === 'field' || s.k === 'index') s = strip(s.obj);
  if (s.k !== 'id') return false;
  const decl = fn.locals.get(s.name) ?? fn.params.find((p) => p.name === s.name);
  return decl !== undefined && KERNEL_OWNED_TYPES.test(decl.type.replace(/\s+/g, ' ').trim());
}

/** Offsets are numbers; a second pointer in `p + q` is not an offset we can vouch for. */
function isPointerLike(e: Expr, fn: FunctionIR): boolean {
  const s = strip(e);
  if (s.k !== 'id') return false;
  const d = fn.locals.get(s.name) ?? fn.params.find((p) => p.name === s.name);
  return d !== undefined && d.pointer;
}
