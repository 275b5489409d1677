/**
 * Access tokens: who each process runs as. The System process runs as LocalSystem (S-1-5-18, an
 * administrator, elevated, session 0); every other process as one standard user of the machine
 * (S-1-5-21-…-1001: Everyone, Users and Authenticated Users, Administrators only for deny, not
 * elevated, medium integrity, session 1). A token is one engine object per process that C holds as
 * an opaque PACCESS_TOKEN; threads never impersonate, so a thread has no token of its own.
 *
 * SeQueryInformationToken allocates its answer in paged pool (the caller frees it with ExFreePool);
 * ZwQueryInformationToken fills the caller's buffer with the usual length protocol. The answers are
 * the real x64 structures, the SIDs placed right after them and pointed at from them. Classes
 * answered: TokenUser, TokenGroups, TokenOwner, TokenPrimaryGroup, TokenSource, TokenType, TokenSessionId,
 * TokenElevationType, TokenElevation, TokenIntegrityLevel, TokenIsAppContainer; another valid
 * class stops the run naming it.
 */
import { bufferPlace } from './buffers';
import type { Kernel } from './kernel';
import { NotModelled } from './notModelled';
import { KHandle, writeOut } from './objects';
import type { PoolRoutines } from './pool';
import { OBJ_KERNEL_HANDLE, type ObjectManagerRoutines } from './objectManager';
import { isKProcess, processOfHandle, handleValue, type KProcess } from './processes';
import { ReferenceCount } from './referenceCount';
import { STATUS } from './status';
import { Ptr } from '../memory/pointer';
import type { Allocation } from '../memory/allocation';
import { isView } from '../memory/view';
import { encodeChars } from '../memory/strings';

/** TOKEN_INFORMATION_CLASS values answered here. */
const TokenClass = {
  TokenUser: 1, TokenGroups: 2, TokenOwner: 4, TokenPrimaryGroup: 5, TokenSource: 7, TokenType: 8, TokenSessionId: 12,
  TokenElevationType: 18, TokenElevation: 20, TokenIntegrityLevel: 25, TokenIsAppContainer: 29,
} as const;
const MAX_TOKEN_CLASS = 48;

const SE_GROUP_MANDATORY = 0x1;
const SE_GROUP_ENABLED_BY_DEFAULT = 0x2;
export const SE_GROUP_ENABLED = 0x4;
const SE_GROUP_OWNER = 0x8;
export const SE_GROUP_USE_FOR_DENY_ONLY = 0x10;
const SE_GROUP_INTEGRITY = 0x20;
const SE_GROUP_INTEGRITY_ENABLED = 0x40;
const ENABLED_GROUP = SE_GROUP_MANDATORY | SE_GROUP_ENABLED_BY_DEFAULT | SE_GROUP_ENABLED;
const TOKEN_PRIMARY = 1;
const TOKEN_ELEVATION_TYPE_DEFAULT = 1;
const TOKEN_ELEVATION_TYPE_LIMITED = 3;
/** 'FsTk' as a little-endian ULONG: the tag of SeQueryInformationToken's answers. */
const TOKEN_TAG = 0x6b54_7346;

/** A SID as its authority and sub-authorities: S-1-5-18 is [5, [18]]. */
export interface Sid {
  authority: number;
  subs: readonly number[];
}

export function sidBytes(s: Sid): Uint8Array {
  const b = new Uint8Array(8 + 4 * s.subs.length);
  const dv = new DataView(b.buffer);
  b[0] = 1;
  b[1] = s.subs.length;
  dv.setUint16(2, 0);
  dv.setUint32(4, s.authority, false);
  s.subs.forEach((x, i) => dv.setUint32(8 + 4 * i, x >>> 0, true));
  return b;
}

export const LOCAL_SYSTEM: Sid = { authority: 5, subs: [18] };
export const ADMINISTRATORS: Sid = { authority: 5, subs: [32, 544] };
export const USERS: Sid = { authority: 5, subs: [32, 545] };
export const EVERYONE: Sid = { authority: 1, subs: [0] };
export const AUTHENTICATED_USERS: Sid = { authority: 5, subs: [11] };
/** The machine's one user account (a domain of three fixed numbers, RID 1001). */
export const MACHINE_USER: Sid = { authority: 5, subs: [21, 1843129705, 2934712218, 1117625443, 1001] };
export const SYSTEM_INTEGRITY: Sid = { authority: 16, subs: [0x4000] };
export const MEDIUM_INTEGRITY: Sid = { authority: 16, subs: [0x2000] };
/** SYSTEM_LUID and the logon session of the machine's user. */
const SYSTEM_LOGON = 0x3e7;
const USER_LOGON = 0x2f1c4;

/** The session a process runs in: services (the System process) in 0, the machine's user in 1. */
export function sessionIdOf(p: KProcess, system: KProcess): number {
  return p === system ? 0 : 1;
}

export class KToken {
  readonly kind = 'token';
  readonly refs: ReferenceCount;
  readonly user: Sid;
  readonly groups: readonly { sid: Sid; attributes: number }[];
  readonly admin: boolean;
  readonly sessionId: number;
  readonly logon: number;
  readonly integrity: Sid;

  constructor(readonly process: KProcess, system: boolean) {
    this.refs = new ReferenceCount(`primary token of ${process.name} (pid ${process.id})`);
    this.user = system ? LOCAL_SYSTEM : MACHINE_USER;
    this.groups = system
      ? [{ sid: ADMINISTRATORS, attributes: ENABLED_GROUP | SE_GROUP_OWNER }, { sid: EVERYONE, attributes: ENABLED_GROUP }, { sid: AUTHENTICATED_USERS, attributes: ENABLED_GROUP }]
      : [{ sid: EVERYONE, attributes: ENABLED_GROUP }, { sid: ADMINISTRATORS, attributes: SE_GROUP_USE_FOR_DENY_ONLY }, { sid: USERS, attributes: ENABLED_GROUP }, { sid: AUTHENTICATED_USERS, attributes: ENABLED_GROUP }];
    this.admin = system;
    this.sessionId = system ? 0 : 1;
    this.logon = system ? SYSTEM_LOGON : USER_LOGON;
    this.integrity = system ? SYSTEM_INTEGRITY : MEDIUM_INTEGRITY;
  }
}

export function isKToken(v: unknown): v is KToken {
  return v instanceof KToken;
}

/** An answer's fixed part and the SIDs it points at, laid out as one block. */
interface TokenAnswer {
  bytes: Uint8Array;
  /** Offsets of pointers inside `bytes`, each to an offset of `bytes`. */
  pointers: [at: number, to: number][];
}

export class TokenRoutines {
  private readonly tokens = new Map<KProcess, KToken>();

  constructor(
    private readonly k: Kernel,
    private readonly pool: PoolRoutines,
    private readonly objects: ObjectManagerRoutines,
  ) {}

  /** The primary token of `p`, made when first asked for. */
  tokenOf(p: KProcess): KToken {
    let t = this.tokens.get(p);
    if (t === undefined) this.tokens.set(p, (t = new KToken(p, p === this.k.processes.system)));
    return t;
  }

  PsReferencePrimaryToken(Process: unknown): KToken | null {
    const k = this.k;
    k.checkIrql('PsReferencePrimaryToken');
    if (!isKProcess(Process)) {
      k.violation(Process === null || Process === undefined ? 'null-param' : 'bad-object', 'PsReferencePrimaryToken needs a process (PEPROCESS)');
      return null;
    }
    const t = this.tokenOf(Process);
    this.objects.take(t, 'PsReferencePrimaryToken');
    return t;
  }

  /** No thread impersonates here: NULL, and the caller uses the primary token. */
  PsReferenceImpersonationToken(Thread: unknown, CopyOnOpen: unknown, EffectiveOnly: unknown, ImpersonationLevel: unknown): null {
    this.k.checkIrql('PsReferenceImpersonationToken');
    if (Thread === null || Thread === undefined) this.k.violation('null-param', 'PsReferenceImpersonationToken needs a thread (PsGetCurrentThread())');
    writeOut(CopyOnOpen, 0);
    writeOut(EffectiveOnly, 0);
    writeOut(ImpersonationLevel, 0);
    return null;
  }

  PsDereferenceImpersonationToken(ImpersonationToken: unknown): void {
    this.k.checkIrql('PsDereferenceImpersonationToken');
    if (ImpersonationToken !== null && ImpersonationToken !== undefined) this.k.violation('bad-object', 'PsDereferenceImpersonationToken was given a token no PsReferenceImpersonationToken returned (threads never impersonate here)');
  }

  PsDereferencePrimaryToken(PrimaryToken: unknown): void {
    const k = this.k;
    k.checkIrql('PsDereferencePrimaryToken');
    if (!isKToken(PrimaryToken)) {
      k.violation('bad-object', 'PsDereferencePrimaryToken needs a token PsReferencePrimaryToken returned');
      return;
    }
    if (!this.objects.give(PrimaryToken)) k.violation('ob-over-release', `PsDereferencePrimaryToken on ${PrimaryToken.refs.label}, but the driver holds no reference to it`);
  }

  /** The subject context of the current thread: no impersonation token, the process's primary token. */
  SeCaptureSubjectContext(SubjectContext: unknown): void {
    const k = this.k;
    k.checkIrql('SeCaptureSubjectContext');
    if (!isView(SubjectContext)) {
      k.violation('null-param', 'SeCaptureSubjectContext needs a SECURITY_SUBJECT_CONTEXT to fill');
      return;
    }
    const process = k.processOf(k.current);
    SubjectContext.ClientToken = null;
    SubjectContext.ImpersonationLevel = 0;
    SubjectContext.PrimaryToken = this.tokenOf(process);
    SubjectContext.ProcessAuditId = process;
  }

  SeReleaseSubjectContext(SubjectContext: unknown): void {
    this.k.checkIrql('SeReleaseSubjectContext');
    if (!isView(SubjectContext)) this.k.violation('null-param', 'SeReleaseSubjectContext needs the SECURITY_SUBJECT_CONTEXT SeCaptureSubjectContext filled');
  }

  SeLockSubjectContext(SubjectContext: unknown): void {
    this.k.checkIrql('SeLockSubjectContext');
    if (!isView(SubjectContext)) this.k.violation('null-param', 'SeLockSubjectContext needs a captured SECURITY_SUBJECT_CONTEXT');
  }

  SeUnlockSubjectContext(SubjectContext: unknown): void {
    this.k.checkIrql('SeUnlockSubjectContext');
    if (!isView(SubjectContext)) this.k.violation('null-param', 'SeUnlockSubjectContext needs a captured SECURITY_SUBJECT_CONTEXT');
  }

  SeQueryInformationToken(Token: unknown, TokenInformationClass: number, TokenInformation: unknown): number {
    const k = this.k;
    k.checkIrql('SeQueryInformationToken');
    writeOut(TokenInformation, null);
    const token = this.token('SeQueryInformationToken', Token);
    if (token === undefined) return STATUS.STATUS_INVALID_PARAMETER;
    if (TokenInformation === null || TokenInformation === undefined) {
      k.violation('null-param', 'SeQueryInformationToken needs a place to return the answer (PVOID *)');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const answer = this.answer('SeQueryInformationToken', token, Number(TokenInformationClass));
    if (typeof answer === 'number') return answer;
    if (k.allocationFails('SeQueryInformationToken')) return STATUS.STATUS_INSUFFICIENT_RESOURCES;
    const block = this.pool.allocate('SeQueryInformationToken', answer.bytes.length, 'PagedPool', TOKEN_TAG);
    place(block.alloc, block.offset, answer);
    writeOut(TokenInformation, block);
    return STATUS.STATUS_SUCCESS;
  }

  SeTokenIsAdmin(Token: unknown): number {
    this.k.checkIrql('SeTokenIsAdmin');
    const token = this.token('SeTokenIsAdmin', Token);
    return token?.admin === true ? 1 : 0;
  }

  SeQueryAuthenticationIdToken(Token: unknown, AuthenticationId: unknown): number {
    this.k.checkIrql('SeQueryAuthenticationIdToken');
    const token = this.token('SeQueryAuthenticationIdToken', Token);
    if (token === undefined) return STATUS.STATUS_INVALID_PARAMETER;
    if (isView(AuthenticationId)) {
      AuthenticationId.LowPart = token.logon;
      AuthenticationId.HighPart = 0;
    }
    return STATUS.STATUS_SUCCESS;
  }

  SeQuerySessionIdToken(Token: unknown, SessionId: unknown): number {
    this.k.checkIrql('SeQuerySessionIdToken');
    const token = this.token('SeQuerySessionIdToken', Token);
    if (token === undefined) return STATUS.STATUS_INVALID_PARAMETER;
    writeOut(SessionId, token.sessionId);
    return STATUS.STATUS_SUCCESS;
  }

  ZwOpenProcessTokenEx(ProcessHandle: unknown, _DesiredAccess: number, HandleAttributes: number, TokenHandle: unknown): number {
    return this.openProcessToken('ZwOpenProcessTokenEx', ProcessHandle, HandleAttributes, TokenHandle);
  }

  ZwOpenProcessToken(ProcessHandle: unknown, _DesiredAccess: number, TokenHandle: unknown): number {
    return this.openProcessToken('ZwOpenProcessToken', ProcessHandle, 0, TokenHandle);
  }

  /** Threads never impersonate here: a thread has no token (the caller falls back to its process's). */
  ZwOpenThreadTokenEx(ThreadHandle: unknown, _DesiredAccess: number, _OpenAsSelf: number, _HandleAttributes: number, TokenHandle: unknown): number {
    return this.openThreadToken('ZwOpenThreadTokenEx', ThreadHandle, TokenHandle);
  }

  ZwOpenThreadToken(ThreadHandle: unknown, _DesiredAccess: number, _OpenAsSelf: number, TokenHandle: unknown): number {
    return this.openThreadToken('ZwOpenThreadToken', ThreadHandle, TokenHandle);
  }

  ZwQueryInformationToken(TokenHandle: unknown, TokenInformationClass: number, TokenInformation: unknown, TokenInformationLength: number, ReturnLength: unknown): number {
    return this.queryByHandle('ZwQueryInformationToken', TokenHandle, TokenInformationClass, TokenInformation, TokenInformationLength, ReturnLength);
  }

  NtQueryInformationToken(TokenHandle: unknown, TokenInformationClass: number, TokenInformation: unknown, TokenInformationLength: number, ReturnLength: unknown): number {
    return this.queryByHandle('NtQueryInformationToken', TokenHandle, TokenInformationClass, TokenInformation, TokenInformationLength, ReturnLength);
  }

  private queryByHandle(routine: string, TokenHandle: unknown, TokenInformationClass: number, TokenInformation: unknown, TokenInformationLength: number, ReturnLength: unknown): number {
    const k = this.k;
    k.checkIrql(routine);
    if (!(TokenHandle instanceof KHandle) || TokenHandle.closed || !isKToken(TokenHandle.object)) {
      k.violation('bad-object', `${routine} needs an open token handle (ZwOpenProcessTokenEx, or ObOpenObjectByPointer on a token)`);
      return STATUS.STATUS_INVALID_HANDLE;
    }
    const answer = this.answer(routine, TokenHandle.object, Number(TokenInformationClass));
    if (typeof answer === 'number') return answer;
    const length = Number(TokenInformationLength) >>> 0;
    writeOut(ReturnLength, answer.bytes.length);
    if (length < answer.bytes.length) return STATUS.STATUS_BUFFER_TOO_SMALL;
    const at = bufferPlace(k.marshal, TokenInformation);
    if (at === null) {
      k.violation('null-param', `${routine} was given a length of ${length} bytes but no buffer`);
      return STATUS.STATUS_ACCESS_VIOLATION;
    }
    place(at.alloc, at.offset, answer);
    return STATUS.STATUS_SUCCESS;
  }

  private openProcessToken(routine: string, ProcessHandle: unknown, HandleAttributes: number, TokenHandle: unknown): number {
    const k = this.k;
    k.checkIrql(routine);
    writeOut(TokenHandle, null);
    const p = processOfHandle(ProcessHandle, k.processOf(k.current));
    if (p === undefined) {
      k.violation('bad-object', `${routine} needs a process handle (ZwCurrentProcess(), ZwOpenProcess, ObOpenObjectByPointer)`);
      return STATUS.STATUS_INVALID_HANDLE;
    }
    if (TokenHandle === null || TokenHandle === undefined) {
      k.violation('null-param', `${routine} needs a place to return the token handle`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const owner = (Number(HandleAttributes) & OBJ_KERNEL_HANDLE) !== 0 ? null : (k.current.process ?? null);
    const handle = new KHandle(this.tokenOf(p), `token of ${p.name}`, owner);
    k.handles.record(handle, routine, k.current);
    writeOut(TokenHandle, handle);
    return STATUS.STATUS_SUCCESS;
  }

  private openThreadToken(routine: string, ThreadHandle: unknown, TokenHandle: unknown): number {
    this.k.checkIrql(routine);
    writeOut(TokenHandle, null);
    const CURRENT_THREAD = -2;
    if (handleValue(ThreadHandle) !== CURRENT_THREAD && !(ThreadHandle instanceof KHandle)) {
      this.k.violation('bad-object', `${routine} needs a thread handle (ZwCurrentThread(), or a handle to a thread)`);
      return STATUS.STATUS_INVALID_HANDLE;
    }
    return STATUS.STATUS_NO_TOKEN;
  }

  private token(routine: string, Token: unknown): KToken | undefined {
    if (isKToken(Token)) return Token;
    this.k.violation(Token === null || Token === undefined ? 'null-param' : 'bad-object', `${routine} needs an access token (PsReferencePrimaryToken, SeQuerySubjectContextToken)`);
    return undefined;
  }

  /** The answer for `cls`, or the status for a class out of range; a valid class not answered stops the run. */
  private answer(routine: string, t: KToken, cls: number): TokenAnswer | number {
    const withSid = (head: number, entries: { sid: Sid; attributes: number; at: number }[], fill: (dv: DataView) => void): TokenAnswer => {
      const sids = entries.map((e) => sidBytes(e.sid));
      const bytes = new Uint8Array(head + sids.reduce((a, s) => a + s.length, 0));
      const dv = new DataView(bytes.buffer);
      fill(dv);
      const pointers: [number, number][] = [];
      let to = head;
      entries.forEach((e, i) => {
        pointers.push([e.at, to]);
        if (e.attributes >= 0) dv.setUint32(e.at + 8, e.attributes >>> 0, true);
        bytes.set(sids[i]!, to);
        to += sids[i]!.length;
      });
      return { bytes, pointers };
    };
    const ulong = (v: number): TokenAnswer => {
      const bytes = new Uint8Array(4);
      new DataView(bytes.buffer).setUint32(0, v >>> 0, true);
      return { bytes, pointers: [] };
    };
    switch (cls) {
      case TokenClass.TokenUser:
        return withSid(16, [{ sid: t.user, attributes: 0, at: 0 }], () => undefined);
      case TokenClass.TokenGroups:
        return withSid(8 + 16 * t.groups.length, t.groups.map((g, i) => ({ sid: g.sid, attributes: g.attributes, at: 8 + 16 * i })), (dv) => dv.setUint32(0, t.groups.length, true));
      case TokenClass.TokenOwner:
        return withSid(8, [{ sid: t.admin ? ADMINISTRATORS : t.user, attributes: -1, at: 0 }], () => undefined);
      case TokenClass.TokenPrimaryGroup:
        return withSid(8, [{ sid: t.admin ? LOCAL_SYSTEM : t.user, attributes: -1, at: 0 }], () => undefined);
      case TokenClass.TokenIntegrityLevel:
        return withSid(16, [{ sid: t.integrity, attributes: SE_GROUP_INTEGRITY | SE_GROUP_INTEGRITY_ENABLED, at: 0 }], () => undefined);
      case TokenClass.TokenSource: {
        // TOKEN_SOURCE: who made the token — the kernel for System, an interactive logon otherwise.
        const bytes = new Uint8Array(16);
        bytes.set(encodeChars(t.admin ? '*SYSTEM*' : 'User32  ', 1, false));
        new DataView(bytes.buffer).setUint32(8, t.logon, true);
        return { bytes, pointers: [] };
      }
      case TokenClass.TokenType:
        return ulong(TOKEN_PRIMARY);
      case TokenClass.TokenSessionId:
        return ulong(t.sessionId);
      case TokenClass.TokenElevationType:
        return ulong(t.admin ? TOKEN_ELEVATION_TYPE_DEFAULT : TOKEN_ELEVATION_TYPE_LIMITED);
      case TokenClass.TokenElevation:
        return ulong(t.admin ? 1 : 0);
      case TokenClass.TokenIsAppContainer:
        return ulong(0);
      default:
        if (cls < 1 || cls >= MAX_TOKEN_CLASS) {
          this.k.violation('invalid-parameter', `${routine} was given token information class ${cls}, which is not a TOKEN_INFORMATION_CLASS`);
          return STATUS.STATUS_INVALID_INFO_CLASS;
        }
        throw new NotModelled(`${routine} with token information class ${cls} is not modelled`, `fltsim answers TokenUser, TokenGroups, TokenOwner, TokenPrimaryGroup, TokenSource, TokenType, TokenSessionId, TokenElevationType, TokenElevation, TokenIntegrityLevel and TokenIsAppContainer (docs/wdk-surface.md)`);
    }
  }
}

/** Writes an answer at `offset` of `alloc`, its pointers made to point inside it. */
function place(alloc: Allocation, offset: number, a: TokenAnswer): void {
  alloc.writeBytes(offset, a.bytes);
  for (const [at, to] of a.pointers) alloc.writePointer(offset + at, new Ptr(alloc, offset + to));
}
