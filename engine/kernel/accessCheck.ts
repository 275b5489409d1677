/**
 * Who a SID is and what a subject may do: SecLookupAccountSid (the account names of the SIDs this
 * machine has — the tokens' users and groups, tokens.ts) and SeAccessCheck (the DACL of a security
 * descriptor, absolute or self-relative, walked against a captured subject context's token as
 * Windows walks it: generic rights mapped, a NULL or absent DACL grants everything, the owner
 * implicitly has READ_CONTROL and WRITE_DAC, ACEs in order, the first deny of a wanted right ends
 * the check, MAXIMUM_ALLOWED collects every right allowed before a deny; a kernel-mode check
 * grants what was asked). Inherit-only ACEs are skipped; object ACEs, conditional ACEs and
 * privileges (ACCESS_SYSTEM_SECURITY needs SeSecurityPrivilege, which no subject here holds) are
 * not modelled beyond that.
 */
import { readBuffer, writeBuffer } from './buffers';
import type { Kernel } from './kernel';
import { readOut, writeOut } from './objects';
import { STATUS } from './status';
import { sidString } from './sids';
import { ADMINISTRATORS, AUTHENTICATED_USERS, EVERYONE, isKToken, LOCAL_SYSTEM, MACHINE_USER, MEDIUM_INTEGRITY, SE_GROUP_ENABLED, SE_GROUP_USE_FOR_DENY_ONLY, sidBytes, SYSTEM_INTEGRITY, USERS, type KToken, type Sid } from './tokens';
import { encodeChars } from '../memory/strings';
import { Ptr } from '../memory/pointer';
import { isView, type StructView } from '../memory/view';
import { ACCESS_ALLOWED_ACE_TYPE, ACCESS_DENIED_ACE_TYPE, ACCESS_SYSTEM_SECURITY, GENERIC_ALL, GENERIC_EXECUTE, GENERIC_READ, GENERIC_WRITE, INHERIT_ONLY_ACE, MAXIMUM_ALLOWED, READ_CONTROL, SE_DACL_PRESENT, SE_SELF_RELATIVE, WRITE_DAC } from './accessRights';

/** SID_NAME_USE values. */
const SidType = { User: 1, Alias: 4, WellKnownGroup: 5, Label: 10 } as const;

/** The accounts this machine can name: its user, the well-known groups and the integrity labels. */
const ACCOUNTS: readonly { sid: Sid; name: string; domain: string; use: number }[] = [
  { sid: LOCAL_SYSTEM, name: 'SYSTEM', domain: 'NT AUTHORITY', use: SidType.WellKnownGroup },
  { sid: ADMINISTRATORS, name: 'Administrators', domain: 'BUILTIN', use: SidType.Alias },
  { sid: USERS, name: 'Users', domain: 'BUILTIN', use: SidType.Alias },
  { sid: EVERYONE, name: 'Everyone', domain: '', use: SidType.WellKnownGroup },
  { sid: AUTHENTICATED_USERS, name: 'Authenticated Users', domain: 'NT AUTHORITY', use: SidType.WellKnownGroup },
  { sid: MACHINE_USER, name: 'User', domain: 'FLTSIM-PC', use: SidType.User },
  { sid: SYSTEM_INTEGRITY, name: 'System Mandatory Level', domain: 'Mandatory Label', use: SidType.Label },
  { sid: MEDIUM_INTEGRITY, name: 'Medium Mandatory Level', domain: 'Mandatory Label', use: SidType.Label },
];

const KERNEL_MODE = 0;

interface Mapping {
  read: number;
  write: number;
  execute: number;
  all: number;
}

export class AccessCheckRoutines {
  constructor(private readonly k: Kernel) {}

  /**
   * The account name and domain of `Sid`. Sizes are in bytes; a NULL buffer or a size too small gets
   * STATUS_BUFFER_TOO_SMALL with the sizes set to what is needed (with room for a terminator).
   */
  SecLookupAccountSid(Sid: unknown, NameSize: unknown, NameBuffer: unknown, DomainSize: unknown, DomainBuffer: unknown, NameUse: unknown): number {
    const k = this.k;
    const routine = 'SecLookupAccountSid';
    k.checkIrql(routine);
    const sid = this.sid(Sid);
    if (sid === undefined) {
      k.violation(Sid === null || Sid === undefined ? 'null-param' : 'invalid-parameter', `${routine} needs a valid SID (check it with RtlValidSid)`);
      return STATUS.STATUS_INVALID_SID;
    }
    if (NameSize === null || NameSize === undefined) {
      k.violation('null-param', `${routine} needs NameSize (the size of the name's buffer, in bytes)`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const text = sidString(sid);
    const account = ACCOUNTS.find((a) => sidString(sidBytes(a.sid)) === text);
    if (account === undefined) return STATUS.STATUS_NONE_MAPPED;
    // The domain is optional: a driver that wants only the name passes NULL for both domain arguments.
    const wantsDomain = DomainSize !== null && DomainSize !== undefined;
    const nameNeeded = 2 * account.name.length + 2;
    const domainNeeded = 2 * account.domain.length + 2;
    const name = isView(NameBuffer) ? NameBuffer : undefined;
    const domain = isView(DomainBuffer) ? DomainBuffer : undefined;
    const nameFits = name !== undefined && (Number(readOut(NameSize) ?? 0) >>> 0) >= nameNeeded && fits(name, nameNeeded);
    const domainFits = !wantsDomain || (domain !== undefined && (Number(readOut(DomainSize) ?? 0) >>> 0) >= domainNeeded && fits(domain, domainNeeded));
    writeOut(NameSize, nameNeeded);
    if (wantsDomain) writeOut(DomainSize, domainNeeded);
    if (!nameFits || !domainFits || name === undefined) return STATUS.STATUS_BUFFER_TOO_SMALL;
    this.store(name, account.name);
    if (wantsDomain) this.store(domain!, account.domain);
    writeOut(NameUse, account.use);
    return STATUS.STATUS_SUCCESS;
  }

  SeAccessCheck(SecurityDescriptor: unknown, SubjectSecurityContext: unknown, _SubjectContextLocked: number, DesiredAccess: number, PreviouslyGrantedAccess: number, Privileges: unknown, GenericMapping: unknown, AccessMode: number, GrantedAccess: unknown, AccessStatus: unknown): number {
    const k = this.k;
    const routine = 'SeAccessCheck';
    k.checkIrql(routine);
    writeOut(Privileges, null);
    const deny = (status: number): number => {
      writeOut(GrantedAccess, 0);
      writeOut(AccessStatus, status);
      return 0;
    };
    if (!isView(GenericMapping)) {
      k.violation('null-param', `${routine} needs the GENERIC_MAPPING of the object's type`);
      return deny(STATUS.STATUS_INVALID_PARAMETER);
    }
    if (SecurityDescriptor === null || SecurityDescriptor === undefined) {
      k.violation('null-param', `${routine} needs the object's security descriptor`);
      return deny(STATUS.STATUS_INVALID_PARAMETER);
    }
    if (GrantedAccess === null || GrantedAccess === undefined || AccessStatus === null || AccessStatus === undefined) {
      k.violation('null-param', `${routine} needs GrantedAccess and AccessStatus to return the result`);
      return 0;
    }
    const mapping: Mapping = { read: u32(GenericMapping.GenericRead), write: u32(GenericMapping.GenericWrite), execute: u32(GenericMapping.GenericExecute), all: u32(GenericMapping.GenericAll) };
    const previously = mapGeneric(u32(PreviouslyGrantedAccess), mapping);
    let desired = mapGeneric(u32(DesiredAccess), mapping);
    const maximum = (desired & MAXIMUM_ALLOWED) !== 0;
    desired &= ~MAXIMUM_ALLOWED;
    const grant = (rights: number): number => {
      writeOut(GrantedAccess, (rights | previously) >>> 0);
      writeOut(AccessStatus, STATUS.STATUS_SUCCESS);
      return 1;
    };
    if (desired === 0 && !maximum) return previously !== 0 ? grant(0) : deny(STATUS.STATUS_ACCESS_DENIED);
    if (Number(AccessMode) === KERNEL_MODE) return grant(maximum ? desired | mapping.all : desired);
    const token = this.token(SubjectSecurityContext);
    if (token === undefined) {
      k.violation('bad-object', `${routine} needs a SECURITY_SUBJECT_CONTEXT captured with SeCaptureSubjectContext`);
      return deny(STATUS.STATUS_INVALID_PARAMETER);
    }
    const sd = this.descriptor(SecurityDescriptor);
    if (sd === undefined) return deny(STATUS.STATUS_INVALID_SECURITY_DESCR);
    if (sd.dacl === null) return grant(maximum ? desired | mapping.all : desired);
    if ((desired & ACCESS_SYSTEM_SECURITY) !== 0) return deny(STATUS.STATUS_PRIVILEGE_NOT_HELD);
    const sids = subjectSids(token);
    let granted = previously;
    if (sd.owner !== null && sids.some((s) => s.text === sd.owner && s.allow)) granted |= READ_CONTROL | WRITE_DAC;
    let denied = 0;
    for (const ace of sd.dacl) {
      if ((ace.flags & INHERIT_ONLY_ACE) !== 0) continue;
      const mask = mapGeneric(ace.mask, mapping);
      const matches = sids.some((s) => s.text === ace.sid && (ace.type === ACCESS_DENIED_ACE_TYPE || s.allow));
      if (!matches) continue;
      if (ace.type === ACCESS_ALLOWED_ACE_TYPE) granted |= mask & ~denied;
      else if (ace.type === ACCESS_DENIED_ACE_TYPE) {
        if (!maximum && (mask & desired & ~granted) !== 0) return deny(STATUS.STATUS_ACCESS_DENIED);
        denied |= mask & ~granted;
      }
      if (!maximum && (desired & ~granted) === 0) break;
    }
    if ((desired & ~granted) !== 0) return deny(STATUS.STATUS_ACCESS_DENIED);
    if (maximum && granted === 0) return deny(STATUS.STATUS_ACCESS_DENIED);
    return grant(maximum ? granted : desired);
  }

  private token(ctx: unknown): KToken | undefined {
    if (!isView(ctx)) return undefined;
    const client = ctx.ClientToken;
    if (isKToken(client)) return client;
    return isKToken(ctx.PrimaryToken) ? ctx.PrimaryToken : undefined;
  }

  /** The owner and the DACL's ACEs of an absolute or self-relative descriptor; undefined when it is not one. */
  private descriptor(v: unknown): { owner: string | null; dacl: Ace[] | null } | undefined {
    const m = this.k.marshal;
    const head = readBuffer(m, v, 40);
    const dv = new DataView(head.buffer);
    if (head[0] !== 1) return undefined;
    const control = dv.getUint16(2, true);
    const selfRelative = (control & SE_SELF_RELATIVE) !== 0;
    const base = v instanceof Ptr ? v : isView(v) ? new Ptr(v.$alloc, v.$offset) : undefined;
    if (base === undefined) return undefined;
    const at = (field: number): Ptr | null => {
      if (selfRelative) {
        const offset = dv.getUint32(4 + 4 * field, true);
        return offset === 0 ? null : base.add(offset);
      }
      const stored = base.alloc?.readPointer(base.offset + 8 + 8 * field);
      return stored instanceof Ptr ? stored : null;
    };
    const ownerAt = at(0);
    const owner = ownerAt === null ? null : this.sidText(ownerAt);
    const daclAt = at(3);
    if ((control & SE_DACL_PRESENT) === 0 || daclAt === null) return { owner, dacl: null };
    const aclHead = readBuffer(m, daclAt, 8);
    const count = aclHead[4]! | (aclHead[5]! << 8);
    const aces: Ace[] = [];
    let offset = 8;
    for (let i = 0; i < count; i++) {
      const h = readBuffer(m, daclAt, 8, offset);
      const size = h[2]! | (h[3]! << 8);
      if (size < 8) return undefined;
      const mask = new DataView(h.buffer).getUint32(4, true);
      const sid = this.sidText(daclAt.add(offset + 8));
      if (sid === null) return undefined;
      aces.push({ type: h[0]!, flags: h[1]!, mask, sid });
      offset += size;
    }
    return { owner, dacl: aces };
  }

  private sidText(p: Ptr): string | null {
    const s = this.sid(p);
    return s === undefined ? null : sidString(s);
  }

  private sid(Sid: unknown): Uint8Array | undefined {
    if (Sid === null || Sid === undefined) return undefined;
    const head = readBuffer(this.k.marshal, Sid, 2);
    if (head[0] !== 1 || head[1]! > 15) return undefined;
    return readBuffer(this.k.marshal, Sid, 8 + 4 * head[1]!);
  }

  private store(us: StructView, text: string): void {
    writeBuffer(this.k.marshal, us.Buffer, 0, encodeChars(text, 2, true));
    us.Length = 2 * text.length;
  }
}

interface Ace {
  type: number;
  flags: number;
  mask: number;
  sid: string;
}

/** The SIDs a token acts as: its user and enabled groups allow and deny; deny-only groups only deny. */
function subjectSids(t: KToken): { text: string; allow: boolean }[] {
  const out = [{ text: sidString(sidBytes(t.user)), allow: true }];
  for (const g of t.groups) {
    if ((g.attributes & SE_GROUP_ENABLED) !== 0) out.push({ text: sidString(sidBytes(g.sid)), allow: true });
    else if ((g.attributes & SE_GROUP_USE_FOR_DENY_ONLY) !== 0) out.push({ text: sidString(sidBytes(g.sid)), allow: false });
  }
  return out;
}

function mapGeneric(mask: number, m: Mapping): number {
  let out = mask & ~(GENERIC_READ | GENERIC_WRITE | GENERIC_EXECUTE | GENERIC_ALL);
  if ((mask & GENERIC_READ) !== 0) out |= m.read;
  if ((mask & GENERIC_WRITE) !== 0) out |= m.write;
  if ((mask & GENERIC_EXECUTE) !== 0) out |= m.execute;
  if ((mask & GENERIC_ALL) !== 0) out |= m.all;
  return out >>> 0;
}

function u32(v: unknown): number {
  return Number(v) >>> 0;
}

/** Whether a UNICODE_STRING's buffer can take `bytes`. */
function fits(us: StructView, bytes: number): boolean {
  return us.Buffer !== null && us.Buffer !== undefined && (Number(us.MaximumLength) >>> 0) >= bytes;
}
