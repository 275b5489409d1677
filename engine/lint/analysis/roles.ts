/**
 * Which Filter Manager role each function of a file plays, found the way FltMgr finds them:
 * from the registration tables, and from the callback arguments of FltQueue*WorkItem,
 * FltCbdqInitialize, FltDoCompletionProcessingWhenSafe and the kernel's DPC/thread/work-item
 * routines. A function whose role cannot be told is a plain helper.
 *
 * A function no registration, queue setup or callback argument of the project names gets a role
 * only when its whole declared signature — return type and every parameter type — is that of the
 * callback type (`CALLBACK_SIGNATURES`); such roles say so (`bySignature`). A partial resemblance
 * (a file-lock helper returning FLT_PREOP_CALLBACK_STATUS from other parameters) gives none.
 * `roleEvidence` puts the reason for a role in words, for findings that rest on it.
 */
import { argumentNonNull } from './argumentFacts';
import type { CallExpr, FunctionIR } from '../frontend/ir';
import { idName, pathOf, rootOf, strip } from '../frontend/exprs';
import { allAssignments, allCalls } from '../frontend/walk';
import { NO_FOREIGN_FACTS, type ForeignFacts } from './foreign';
import type { FileModel, Loc } from './model';
import { endBeforeArraySuffixes, trailingIdentifier } from './textScan';
import { registrationCallback, type OperationTable } from './registration';
import type { CbdqCallback, CbdqInfo, Role, RoleMap } from './roleTypes';

/**
 * Routines that call a routine of the driver back when an operation completes, and which argument
 * names it. Those routines run at IRQL <= DISPATCH_LEVEL in an arbitrary thread. (FltCheckOplock's
 * wait-complete routine is not one of them: its page does not say so, and FAT's own
 * FatOplockComplete is pageable.)
 */
export const COMPLETION_ARGS: Record<string, number> = {
  FltPerformAsynchronousIo: 1,
  FltReadFile: 7, FltReadFileEx: 7, FltWriteFile: 7, FltWriteFileEx: 7,
};

/** Calls whose arguments name callbacks; a function calling none of these gives no roles. */
export const ROLE_CALLS = new Set([
  'FltQueueGenericWorkItem', 'FltQueueDeferredIoWorkItem', 'FltCbdqInitialize', 'FltDoCompletionProcessingWhenSafe',
  'KeInitializeDpc', 'KeInitializeThreadedDpc', 'KeInitializeTimerEx', 'PsCreateSystemThread', 'ExInitializeWorkItem',
  'IoQueueWorkItem', 'IoQueueWorkItemEx', 'ExQueueWorkItem', ...Object.keys(COMPLETION_ARGS),
]);

function add(map: Map<string, Role[]>, name: string | undefined, role: Role): void {
  if (!name) return;
  const list = map.get(name);
  if (list) list.push(role);
  else map.set(name, [role]);
}

function calleeArg(c: CallExpr, i: number): string | undefined {
  const a = c.args[i];
  if (!a) return undefined;
  let s = strip(a);
  if (s.k === 'unary' && s.op === '&') s = strip(s.arg);
  return idName(s);
}

function lastName(path: string): string {
  // One array suffix at most, directly after the name (`Items[2]`).
  let end = path.length;
  if (path.endsWith(']')) {
    const open = path.lastIndexOf('[');
    if (open >= 0 && path.indexOf(']', open) === path.length - 1) end = open;
  }
  const id = trailingIdentifier(path, end);
  return id && id.end === end ? id.name : path;
}

/**
 * The roles of the file's functions. `foreign` adds what the project's other files say about them
 * (their registration tables, cbdq setups and work-item calls); a function with no role from either
 * falls back to its signature.
 */
export function findRoles(model: FileModel, foreign: ForeignFacts = NO_FOREIGN_FACTS): RoleMap {
  const roles = new Map<string, Role[]>();
  const cbdqs: CbdqInfo[] = [];

  // Registration tables: every FLT_OPERATION_REGISTRATION array, whether or not FLT_REGISTRATION names it.
  const preRows = new Map<string, { majors: Set<string>; rows: Loc[]; rowMajors: (string | null)[]; posts: (string | null)[] }>();
  const postRows = new Map<string, { majors: Set<string>; rows: Loc[]; pres: (string | null)[] }>();
  const tables: OperationTable[] = [...model.operationTables.values()];
  for (const t of tables) {
    const anchor = `decl:${t.name}`;
    for (const row of t.rows) {
      if (row.isEnd) continue;
      const loc: Loc = { anchor, span: row.span };
      if (row.pre) {
        const e = preRows.get(row.pre) ?? { majors: new Set(), rows: [], rowMajors: [], posts: [] };
        if (row.major) e.majors.add(row.major);
        e.rows.push(loc);
        e.rowMajors.push(row.major ?? null);
        e.posts.push(row.post ?? null);
        preRows.set(row.pre, e);
      }
      if (row.post) {
        const e = postRows.get(row.post) ?? { majors: new Set(), rows: [], pres: [] };
        if (row.major) e.majors.add(row.major);
        e.rows.push(loc);
        e.pres.push(row.pre ?? null);
        postRows.set(row.post, e);
      }
    }
  }
  for (const [name, e] of preRows) add(roles, name, { k: 'preop', majors: [...e.majors].sort(), rows: e.rows, rowMajors: e.rowMajors, postOps: e.posts });
  for (const [name, e] of postRows) add(roles, name, { k: 'postop', majors: [...e.majors].sort(), rows: e.rows, preOps: e.pres });

  for (const reg of model.registrations) {
    add(roles, registrationCallback(reg, 'FilterUnloadCallback'), { k: 'unload' });
    add(roles, registrationCallback(reg, 'InstanceSetupCallback'), { k: 'instanceSetup' });
    add(roles, registrationCallback(reg, 'InstanceQueryTeardownCallback'), { k: 'queryTeardown' });
    add(roles, registrationCallback(reg, 'InstanceTeardownStartCallback'), { k: 'teardownStart' });
    add(roles, registrationCallback(reg, 'InstanceTeardownCompleteCallback'), { k: 'teardownComplete' });
  }
  for (const t of model.contextTables.values()) for (const row of t.rows) add(roles, row.cleanup, { k: 'ctxCleanup' });
  if (model.functions.has('DriverEntry')) add(roles, 'DriverEntry', { k: 'driverEntry' });

  // Callback arguments.
  for (const f of model.functionList) {
    if (!f.facts.calls.some((c) => ROLE_CALLS.has(c.name))) continue;
    // The role-giving calls depend only on the function's text: find them once per text.
    let calls = f.entry.memo.get('roleCalls') as CallExpr[] | undefined;
    if (!calls) {
      const ir = model.ir(f.name);
      calls = ir ? allCalls(ir.body).filter((c) => c.callee !== undefined && ROLE_CALLS.has(c.callee)) : [];
      f.entry.memo.set('roleCalls', calls);
    }
    const anchor = `fn:${f.name}`;
    for (const c of calls) {
      if (!c.callee || !ROLE_CALLS.has(c.callee)) continue;
      const site: Loc = { anchor, span: c.r };
      switch (c.callee) {
        case 'FltQueueGenericWorkItem': {
          const ir = model.ir(f.name);
          const carries = ir ? carriedField(ir, c) : undefined;
          const nonNull = ir && argumentNonNull(ir.body, c, 4);
          const itemField = storedItemField(c);
          add(roles, calleeArg(c, 2), { k: 'worker', kind: 'generic', site, ...(carries ? { carries } : {}), ...(nonNull ? { contextNonNull: true as const } : {}), ...(itemField ? { itemField } : {}) });
          break;
        }
        case 'FltQueueDeferredIoWorkItem': {
          const ir = model.ir(f.name);
          const nonNull = ir && argumentNonNull(ir.body, c, 4);
          const itemField = storedItemField(c);
          add(roles, calleeArg(c, 2), { k: 'worker', kind: 'deferred', site, ...(nonNull ? { contextNonNull: true as const } : {}), ...(itemField ? { itemField } : {}) });
          break;
        }
        case 'FltDoCompletionProcessingWhenSafe': add(roles, calleeArg(c, 4), { k: 'safepost', site }); break;
        case 'KeInitializeDpc': case 'KeInitializeThreadedDpc': add(roles, calleeArg(c, 1), { k: 'dpc', site }); break;
        case 'PsCreateSystemThread': add(roles, calleeArg(c, 5), { k: 'thread', site }); break;
        case 'ExInitializeWorkItem': add(roles, calleeArg(c, 1), { k: 'thread', site }); break;
        case 'IoQueueWorkItem': case 'IoQueueWorkItemEx': add(roles, calleeArg(c, 1), { k: 'thread', site }); break;
        case 'FltPerformAsynchronousIo': case 'FltReadFile': case 'FltReadFileEx': case 'FltWriteFile': case 'FltWriteFileEx':
          add(roles, calleeArg(c, COMPLETION_ARGS[c.callee]), { k: 'completion', api: c.callee, site });
          break;
        case 'FltCbdqInitialize': {
          const queuePath = c.args[1] ? pathOf(c.args[1]) ?? '' : '';
          const info: CbdqInfo = {
            site, queuePath, queueName: lastName(queuePath.replace(/^&/, '')),
            insert: calleeArg(c, 2), remove: calleeArg(c, 3), peek: calleeArg(c, 4),
            acquire: calleeArg(c, 5), release: calleeArg(c, 6), cancel: calleeArg(c, 7),
          };
          const q = cbdqs.length;
          cbdqs.push(info);
          const cbs: [CbdqCallback, string | undefined][] = [
            ['insert', info.insert], ['remove', info.remove], ['peek', info.peek],
            ['acquire', info.acquire], ['release', info.release], ['cancel', info.cancel],
          ];
          for (const [cb, name] of cbs) add(roles, name, { k: 'cbdq', cb, queue: q, site });
          break;
        }
        default: break;
      }
    }
  }

  // A callback named `Class::Method` (a registration row) goes by the key of the definition it names.
  const keyOf = (n: string | null): string | null => (n === null ? n : model.functions.peek(n)?.name ?? n);
  for (const [name, rs] of [...roles]) {
    const linked = rs.map((r) => (r.k === 'preop' ? { ...r, postOps: r.postOps.map(keyOf) } : r.k === 'postop' ? { ...r, preOps: r.preOps.map(keyOf) } : r));
    const key = keyOf(name)!;
    if (key !== name) roles.delete(name);
    roles.set(key, key !== name && roles.has(key) ? [...roles.get(key)!, ...linked] : linked);
  }

  // Other files of the project: their queues come after this file's, so their roles' indexes shift.
  const shift = cbdqs.length;
  cbdqs.push(...foreign.cbdqs);
  for (const f of model.functionList) {
    for (const r of foreign.roles.get(f.name) ?? []) add(roles, f.name, r.k === 'cbdq' && r.queue >= 0 ? { ...r, queue: r.queue + shift } : r);
  }

  // Signature fallback: nothing in the project names the function, but its whole declared type is a
  // callback type's (a file linted without the rest of its driver).
  const calledDirectly = new Set<string>();
  for (const f of model.functionList) for (const c of f.facts.calls) { const target = model.callTarget(f, c); if (target !== f.name) calledDirectly.add(target); }
  for (const f of model.functionList) {
    // Called as a function here or in another file of the driver: a helper, whatever its shape.
    if (roles.has(f.name) || calledDirectly.has(f.name) || foreign.calls.has(f.name)) continue;
    const role = roleBySignature(f.text);
    if (role) add(roles, f.name, role);
  }
  return { roles, cbdqs };
}

/** A callback type: its return type and parameter types, in the canonical form of `canonicalType`. */
interface CallbackSignature {
  ret: string;
  params: string[];
  role: Role;
}

/** The callback types a function can be recognised by, from fltKernel.h. Ambiguous shapes are left out. */
const CALLBACK_SIGNATURES: CallbackSignature[] = [
  { ret: 'FLT_PREOP_CALLBACK_STATUS', params: ['FLT_CALLBACK_DATA*', 'FLT_RELATED_OBJECTS*', 'VOID**'], role: { k: 'preop', majors: null, rows: [], rowMajors: [], postOps: [], bySignature: true } },
  { ret: 'FLT_POSTOP_CALLBACK_STATUS', params: ['FLT_CALLBACK_DATA*', 'FLT_RELATED_OBJECTS*', 'VOID*', 'ULONG'], role: { k: 'postop', majors: null, rows: [], preOps: [], bySignature: true } },
  { ret: 'NTSTATUS', params: ['FLT_CALLBACK_DATA_QUEUE*', 'FLT_CALLBACK_DATA*', 'VOID*'], role: { k: 'cbdq', cb: 'insert', queue: -1, bySignature: true } },
  { ret: 'FLT_CALLBACK_DATA*', params: ['FLT_CALLBACK_DATA_QUEUE*', 'FLT_CALLBACK_DATA*', 'VOID*'], role: { k: 'cbdq', cb: 'peek', queue: -1, bySignature: true } },
  { ret: 'VOID', params: ['FLT_CALLBACK_DATA_QUEUE*', 'KIRQL*'], role: { k: 'cbdq', cb: 'acquire', queue: -1, bySignature: true } },
  { ret: 'VOID', params: ['FLT_CALLBACK_DATA_QUEUE*', 'KIRQL'], role: { k: 'cbdq', cb: 'release', queue: -1, bySignature: true } },
  // (FLT_CALLBACK_DATA_QUEUE*, FLT_CALLBACK_DATA*) returning VOID is both RemoveIo and CompleteCanceledIo: no role.
];

/** Typedef names that are the same type as another name (`FLT_POST_OPERATION_FLAGS` is a ULONG). */
const SAME_TYPE: Record<string, string> = {
  FLT_POST_OPERATION_FLAGS: 'ULONG', UCHAR: 'KIRQL', KIRQL: 'KIRQL', PVOID: 'VOID*', LPVOID: 'VOID*',
};
/** Structures whose `P…`/`PC…` pointer typedefs the signatures use. */
const POINTED = new Set([
  'FLT_CALLBACK_DATA', 'FLT_RELATED_OBJECTS', 'FLT_CALLBACK_DATA_QUEUE', 'KIRQL', 'VOID', 'FLT_GENERIC_WORKITEM', 'FLT_DEFERRED_IO_WORKITEM',
  'FLT_FILTER', 'FLT_INSTANCE', 'FLT_VOLUME', 'DEVICE_OBJECT', 'IO_WORKITEM', 'FILE_OBJECT',
]);

/**
 * One spelling per type: qualifiers, `struct` tags and blanks dropped, pointer typedefs spelled as
 * `T*` (`PCFLT_RELATED_OBJECTS` → `FLT_RELATED_OBJECTS*`, `PVOID *` → `VOID**`, `void` → `VOID`).
 */
const CANONICAL = new Map<string, string>();

export function canonicalType(text: string): string {
  let hit = CANONICAL.get(text);
  if (hit === undefined) {
    hit = spellType(text);
    if (CANONICAL.size > 4096) CANONICAL.clear();
    CANONICAL.set(text, hit);
  }
  return hit;
}

function spellType(text: string): string {
  let t = text.replace(/\b(?:const|volatile|struct|union|enum)\b/g, ' ').replace(/\s+/g, '');
  let stars = '';
  while (t.endsWith('*')) { stars += '*'; t = t.slice(0, -1); }
  if (t.startsWith('_')) t = t.slice(1);
  if (t === 'void') t = 'VOID';
  if (/^PC?[A-Z]/.test(t)) {
    const base = t.startsWith('PC') && POINTED.has(t.slice(2)) ? t.slice(2) : t.slice(1);
    if (POINTED.has(base)) return `${SAME_TYPE[base] ?? base}*${stars}`;
  }
  const same = SAME_TYPE[t];
  if (same) return same + stars;
  return t + stars;
}

/**
 * The declared return type and parameter types of a function definition, read from its (prepared)
 * text up to the body: annotations are already blank there. Undefined when the head cannot be read.
 */
export function declaredSignature(text: string): { ret: string; params: string[] } | undefined {
  const body = text.indexOf('{');
  const head = body < 0 ? text : text.slice(0, body);
  const open = head.indexOf('(');
  const close = head.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const before = head.slice(0, open).replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, ' ').trim();
  const name = trailingIdentifier(before);
  if (!name || name.end !== before.length) return undefined;
  // C++ qualifiers before the name (`Filter::`, `ns::Filter::`) are not part of the return type.
  let retEnd = name.start;
  for (;;) {
    const colons = before.slice(0, retEnd).trimEnd();
    if (!colons.endsWith('::')) break;
    const q = trailingIdentifier(colons, colons.length - 2);
    if (!q) break;
    retEnd = q.start;
  }
  const ret = before.slice(0, retEnd).replace(/\b(?:static|inline|__inline|extern|virtual)\b/g, ' ').trim();
  const list = head.slice(open + 1, close).replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, ' ');
  const params: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of list) {
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    if (ch === ',' && depth === 0) { params.push(cur); cur = ''; } else cur += ch;
  }
  if (cur.trim() !== '') params.push(cur);
  const types = params.map((raw) => {
    const p = raw.trim();
    const end = endBeforeArraySuffixes(p);
    const id = trailingIdentifier(p, end);
    const type = id && id.end === end ? p.slice(0, id.start) : undefined;
    // A parameter written without a name (`PVOID`) is its type alone.
    if (type === undefined || /^\s*$/.test(type.replace(/\b(?:const|volatile)\b/g, '').replace(/\*/g, ''))) return p;
    return type;
  });
  if (types.length === 1 && canonicalType(types[0]) === 'VOID') types.length = 0;
  return { ret, params: types };
}

/** The role a function's whole declared signature gives it, when exactly one callback type matches. */
export function roleBySignature(text: string): Role | undefined {
  // Cheap test first: every recognised callback type takes the callback data or its queue.
  const body = text.indexOf('{');
  const head = body < 0 ? text : text.slice(0, body);
  if (!head.includes('FLT_CALLBACK_DATA')) return undefined;
  const sig = declaredSignature(head);
  if (!sig) return undefined;
  const ret = canonicalType(sig.ret);
  const params = sig.params.map(canonicalType);
  const found = CALLBACK_SIGNATURES.filter((c) => c.ret === ret && c.params.length === params.length && c.params.every((p, i) => p === params[i]));
  return found.length === 1 ? found[0].role : undefined;
}

const CBDQ_WORDS: Record<CbdqCallback, string> = {
  insert: 'InsertIo', remove: 'RemoveIo', peek: 'PeekNextIo', acquire: 'Acquire', release: 'Release', cancel: 'CompleteCanceledIo',
};

/** The name of the callback type a role stands for, in words. */
export function roleName(r: Role): string {
  switch (r.k) {
    case 'preop': return 'a pre-operation callback';
    case 'postop': return 'a post-operation callback';
    case 'worker': return r.kind === 'generic' ? 'a generic work item routine' : 'a deferred-I/O work item routine';
    case 'cbdq': return `a cancel-safe queue ${CBDQ_WORDS[r.cb]} callback`;
    case 'safepost': return 'a SafePostCallback';
    case 'unload': return 'the filter unload callback';
    case 'instanceSetup': return 'the instance setup callback';
    case 'queryTeardown': return 'the instance query-teardown callback';
    case 'teardownStart': return 'the instance teardown-start callback';
    case 'teardownComplete': return 'the instance teardown-complete callback';
    case 'ctxCleanup': return 'a context cleanup callback';
    case 'driverEntry': return 'the driver entry point';
    case 'dpc': return 'a DPC routine';
    case 'thread': return 'a system thread or work routine';
    case 'completion': return `the completion routine of ${r.api}`;
  }
}

/** Why a function has a role, in words: which registration, queue setup or call gave it, or that only its declared signature did. */
export function roleEvidence(r: Role): string {
  switch (r.k) {
    case 'preop': case 'postop': {
      if (r.bySignature) return `no registration names it, but its whole declared signature is the ${r.k === 'preop' ? 'PFLT_PRE_OPERATION_CALLBACK' : 'PFLT_POST_OPERATION_CALLBACK'} type's`;
      const majors = r.majors && r.majors.length > 0 ? ` for ${r.majors.join(', ')}` : '';
      return `it is registered${majors} in an FLT_OPERATION_REGISTRATION table`;
    }
    case 'cbdq':
      return r.bySignature ? `no FltCbdqInitialize names it, but its whole declared signature is the cbdq ${CBDQ_WORDS[r.cb]} callback type's` : `it is given to FltCbdqInitialize as the ${CBDQ_WORDS[r.cb]} callback`;
    case 'worker': return `it is queued by ${r.kind === 'generic' ? 'FltQueueGenericWorkItem' : 'FltQueueDeferredIoWorkItem'}`;
    case 'safepost': return 'it is given to FltDoCompletionProcessingWhenSafe';
    case 'dpc': return 'it is given to KeInitializeDpc';
    case 'thread': return 'it is given to a system thread or work item routine';
    case 'completion': return `it is given to ${r.api} as its completion routine`;
    case 'driverEntry': return 'it is DriverEntry';
    case 'ctxCleanup': return 'it is named in the FLT_CONTEXT_REGISTRATION table';
    default: return 'it is named in the FLT_REGISTRATION structure';
  }
}

/** Where the evidence for a role is, when it is a place in the source. */
export function roleSite(r: Role): Loc | undefined {
  if (r.k === 'preop' || r.k === 'postop') return r.rows[0];
  if ('site' in r) return r.site;
  return undefined;
}

/**
 * The field of the work item's context that holds the work item itself
 * (`FltQueueGenericWorkItem(Item->WorkItem, filter, Worker, queue, Item)`): the worker can free it
 * through its context as well as through its first parameter.
 */
function storedItemField(c: CallExpr): string | undefined {
  const item = c.args[0] ? pathOf(c.args[0]) : undefined;
  const ctxPath = c.args[4] ? pathOf(c.args[4]) : undefined;
  if (!item || !ctxPath) return undefined;
  const root = rootOf(ctxPath);
  const m = /^([A-Za-z_][A-Za-z0-9_]*)->([A-Za-z_][A-Za-z0-9_]*)$/.exec(item);
  return m && m[1] === root && ctxPath === root ? m[2] : undefined;
}

/**
 * The field of a generic work item's context that holds the callback data of the function queuing
 * it (`ctx->Data = Data; FltQueueGenericWorkItem(item, filter, Worker, queue, ctx)`): the worker
 * then owns that pended operation.
 */
function carriedField(ir: FunctionIR, c: CallExpr): string | undefined {
  const data = ir.params.find((p) => canonicalType(p.type) === 'FLT_CALLBACK_DATA*')?.name;
  const ctxPath = c.args[4] ? pathOf(c.args[4]) : undefined;
  if (!data || !ctxPath) return undefined;
  const root = rootOf(ctxPath);
  for (const a of allAssignments(ir.body)) {
    if (a.op !== '=' || pathOf(a.right) !== data) continue;
    const m = new RegExp(`^${root}->([A-Za-z_][A-Za-z0-9_]*)$`).exec(pathOf(a.left) ?? '');
    if (m) return m[1];
  }
  return undefined;
}

/** Majors that only ever arrive as IRPs: no fast I/O entry point and no FsFilter callback exists for them. */
export const IRP_ONLY_MAJORS = new Set([
  'IRP_MJ_CREATE', 'IRP_MJ_CREATE_NAMED_PIPE', 'IRP_MJ_CLOSE', 'IRP_MJ_SET_INFORMATION', 'IRP_MJ_QUERY_EA',
  'IRP_MJ_SET_EA', 'IRP_MJ_FLUSH_BUFFERS', 'IRP_MJ_QUERY_VOLUME_INFORMATION', 'IRP_MJ_SET_VOLUME_INFORMATION',
  'IRP_MJ_DIRECTORY_CONTROL', 'IRP_MJ_FILE_SYSTEM_CONTROL', 'IRP_MJ_INTERNAL_DEVICE_CONTROL', 'IRP_MJ_SHUTDOWN',
  'IRP_MJ_CLEANUP', 'IRP_MJ_CREATE_MAILSLOT', 'IRP_MJ_QUERY_SECURITY', 'IRP_MJ_SET_SECURITY', 'IRP_MJ_POWER',
  'IRP_MJ_SYSTEM_CONTROL', 'IRP_MJ_DEVICE_CHANGE', 'IRP_MJ_QUERY_QUOTA', 'IRP_MJ_SET_QUOTA', 'IRP_MJ_PNP',
]);

/** True when some registered major can reach the callback as fast I/O or an FsFilter callback. */
export function mayBeNonIrp(majors: readonly string[]): boolean {
  return majors.some((m) => !IRP_ONLY_MAJORS.has(m));
}

export function roleOf<K extends Role['k']>(roles: readonly Role[] | undefined, k: K): Extract<Role, { k: K }> | undefined {
  return roles?.find((r) => r.k === k) as Extract<Role, { k: K }> | undefined;
}
