/**
 * Which Filter Manager role each function of a file plays, found the way FltMgr finds them:
 * from the registration tables, and from the callback arguments of FltQueue*WorkItem,
 * FltCbdqInitialize, FltDoCompletionProcessingWhenSafe and the kernel's DPC/thread/work-item
 * routines. A function whose role cannot be told is a plain helper.
 */
import type { CallExpr } from '../frontend/ir';
import { idName, pathOf, strip } from '../frontend/exprs';
import { allCalls } from '../frontend/walk';
import { NO_FOREIGN_FACTS, type ForeignFacts } from './foreign';
import type { FileModel, Loc } from './model';
import { registrationCallback, type OperationTable } from './registration';

export type CbdqCallback = 'insert' | 'remove' | 'peek' | 'acquire' | 'release' | 'cancel';

export type Role =
  /** `majors` null: the function has the pre-op signature but is registered in another file. */
  | { k: 'preop'; majors: string[] | null; rows: Loc[]; rowMajors: (string | null)[]; postOps: (string | null)[] }
  | { k: 'postop'; majors: string[] | null; rows: Loc[]; preOps: (string | null)[] }
  | { k: 'worker'; kind: 'generic' | 'deferred'; site: Loc }
  | { k: 'cbdq'; cb: CbdqCallback; queue: number; site: Loc }
  | { k: 'safepost'; site: Loc }
  | { k: 'unload' }
  | { k: 'instanceSetup' }
  | { k: 'queryTeardown' }
  | { k: 'teardownStart' }
  | { k: 'teardownComplete' }
  | { k: 'ctxCleanup' }
  | { k: 'driverEntry' }
  | { k: 'dpc'; site: Loc }
  | { k: 'thread'; site: Loc };

export interface CbdqInfo {
  site: Loc;
  /** The queue argument as written (`&InstCtx->Cbdq`). */
  queuePath: string;
  /** Its last field or variable name (`Cbdq`), used to match later FltCbdq* calls to this queue. */
  queueName: string;
  insert?: string;
  remove?: string;
  peek?: string;
  acquire?: string;
  release?: string;
  cancel?: string;
}

export interface RoleMap {
  roles: Map<string, Role[]>;
  cbdqs: CbdqInfo[];
}

/** Calls whose arguments name callbacks; a function calling none of these gives no roles. */
export const ROLE_CALLS = new Set([
  'FltQueueGenericWorkItem', 'FltQueueDeferredIoWorkItem', 'FltCbdqInitialize', 'FltDoCompletionProcessingWhenSafe',
  'KeInitializeDpc', 'KeInitializeThreadedDpc', 'KeInitializeTimerEx', 'PsCreateSystemThread', 'ExInitializeWorkItem',
  'IoQueueWorkItem', 'IoQueueWorkItemEx', 'ExQueueWorkItem',
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
  const m = /([A-Za-z_][A-Za-z0-9_]*)(?:\[[^\]]*\])?$/.exec(path);
  return m ? m[1] : path;
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
        case 'FltQueueGenericWorkItem': add(roles, calleeArg(c, 2), { k: 'worker', kind: 'generic', site }); break;
        case 'FltQueueDeferredIoWorkItem': add(roles, calleeArg(c, 2), { k: 'worker', kind: 'deferred', site }); break;
        case 'FltDoCompletionProcessingWhenSafe': add(roles, calleeArg(c, 4), { k: 'safepost', site }); break;
        case 'KeInitializeDpc': case 'KeInitializeThreadedDpc': add(roles, calleeArg(c, 1), { k: 'dpc', site }); break;
        case 'PsCreateSystemThread': add(roles, calleeArg(c, 5), { k: 'thread', site }); break;
        case 'ExInitializeWorkItem': add(roles, calleeArg(c, 1), { k: 'thread', site }); break;
        case 'IoQueueWorkItem': case 'IoQueueWorkItemEx': add(roles, calleeArg(c, 1), { k: 'thread', site }); break;
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

  // Other files of the project: their queues come after this file's, so their roles' indexes shift.
  const shift = cbdqs.length;
  cbdqs.push(...foreign.cbdqs);
  for (const f of model.functionList) {
    for (const r of foreign.roles.get(f.name) ?? []) add(roles, f.name, r.k === 'cbdq' ? { ...r, queue: r.queue + shift } : r);
  }

  // Signature fallback: a pre- or post-operation callback registered in another file of the driver.
  const calledDirectly = new Set<string>();
  for (const f of model.functionList) for (const c of f.facts.calls) if (c.name !== f.name) calledDirectly.add(c.name);
  for (const f of model.functionList) {
    if (roles.has(f.name) || calledDirectly.has(f.name)) continue;
    const head = f.text.slice(0, f.text.indexOf('(') + 1);
    if (/\bFLT_PREOP_CALLBACK_STATUS\b/.test(head)) add(roles, f.name, { k: 'preop', majors: null, rows: [], rowMajors: [], postOps: [] });
    else if (/\bFLT_POSTOP_CALLBACK_STATUS\b/.test(head)) add(roles, f.name, { k: 'postop', majors: null, rows: [], preOps: [] });
  }
  return { roles, cbdqs };
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
