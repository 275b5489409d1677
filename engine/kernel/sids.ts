/**
 * SIDs, ACLs and the absolute security descriptor drivers build in their own memory: the SID
 * routines (RtlValidSid, RtlLengthSid, RtlEqualSid, RtlCopySid, RtlConvertSidToUnicodeString) and
 * the ones that make a descriptor (RtlCreateSecurityDescriptor, RtlSetDaclSecurityDescriptor,
 * RtlCreateAcl, RtlAddAccessAllowedAce(Ex)). All of them read and write the caller's bytes in the
 * real layouts, so C that walks an ACL or reads a SID sees what Windows would have written.
 */
import { bufferPlace, readBuffer, writeBuffer } from './buffers';
import type { UnicodeString } from './cvalues';
import type { Kernel } from './kernel';
import type { RtlRoutines } from './rtl';
import { STATUS } from './status';
import { isView, viewOf, type StructView } from '../memory/view';
import { Ptr } from '../memory/pointer';
import { sizeOf } from '../c/types';
import { ACCESS_ALLOWED_ACE_TYPE, SE_DACL_DEFAULTED, SE_DACL_PRESENT, SE_SELF_RELATIVE } from './accessRights';

const SID_REVISION = 1;
const SID_MAX_SUB_AUTHORITIES = 15;
const SECURITY_DESCRIPTOR_REVISION = 1;
const ACL_REVISION = 2;
const ACL_REVISION_DS = 4;
const ACL_HEADER = 8;
const ACE_HEADER_AND_MASK = 8;
const MAX_ACL_SIZE = 0xffff;
/** The ACE flags RtlAddAccessAllowedAceEx accepts (inheritance and audit bits). */
const VALID_ACE_FLAGS = 0x1f | 0x40 | 0x80;

export class SidRoutines {
  constructor(
    private readonly k: Kernel,
    private readonly rtl: RtlRoutines,
  ) {}

  RtlValidSid(Sid: unknown): number {
    this.k.checkIrql('RtlValidSid');
    return this.sid(Sid) !== undefined ? 1 : 0;
  }

  RtlLengthSid(Sid: unknown): number {
    this.k.checkIrql('RtlLengthSid');
    const s = this.sid(Sid);
    if (s === undefined) {
      this.k.violation(Sid === null || Sid === undefined ? 'null-param' : 'invalid-parameter', 'RtlLengthSid needs a valid SID (revision 1, at most 15 sub-authorities): check it with RtlValidSid first');
      return 0;
    }
    return s.length;
  }

  RtlEqualSid(Sid1: unknown, Sid2: unknown): number {
    this.k.checkIrql('RtlEqualSid');
    const a = this.sid(Sid1);
    const b = this.sid(Sid2);
    if (a === undefined || b === undefined) {
      this.k.violation('invalid-parameter', 'RtlEqualSid needs two valid SIDs');
      return 0;
    }
    return a.length === b.length && a.every((x, i) => x === b[i]) ? 1 : 0;
  }

  RtlCopySid(DestinationSidLength: number, DestinationSid: unknown, SourceSid: unknown): number {
    this.k.checkIrql('RtlCopySid');
    const s = this.sid(SourceSid);
    if (s === undefined) {
      this.k.violation('invalid-parameter', 'RtlCopySid needs a valid source SID');
      return STATUS.STATUS_INVALID_SID;
    }
    if ((Number(DestinationSidLength) >>> 0) < s.length) return STATUS.STATUS_BUFFER_TOO_SMALL;
    writeBuffer(this.k.marshal, DestinationSid, 0, s);
    return STATUS.STATUS_SUCCESS;
  }

  /** `S-1-5-21-…` into the caller's UNICODE_STRING, or a new buffer freed with RtlFreeUnicodeString. */
  RtlConvertSidToUnicodeString(UnicodeString_: unknown, Sid: unknown, AllocateDestinationString: number): number {
    const k = this.k;
    k.checkIrql('RtlConvertSidToUnicodeString');
    const s = this.sid(Sid);
    if (s === undefined) return STATUS.STATUS_INVALID_SID;
    if (!isView(UnicodeString_)) {
      k.violation('null-param', 'RtlConvertSidToUnicodeString needs a UNICODE_STRING to fill');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    return this.rtl.storeUnicode('RtlConvertSidToUnicodeString', UnicodeString_ as unknown as UnicodeString, sidString(s), AllocateDestinationString);
  }

  RtlCreateSecurityDescriptor(Descriptor: unknown, Revision: number): number {
    const k = this.k;
    k.checkIrql('RtlCreateSecurityDescriptor');
    if (Number(Revision) !== SECURITY_DESCRIPTOR_REVISION) return STATUS.STATUS_UNKNOWN_REVISION;
    const SecurityDescriptor = this.descriptor(Descriptor);
    if (SecurityDescriptor === undefined) {
      k.violation('null-param', 'RtlCreateSecurityDescriptor needs a SECURITY_DESCRIPTOR (SECURITY_DESCRIPTOR_MIN_LENGTH bytes) to initialize');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    writeBuffer(k.marshal, SecurityDescriptor, 0, new Uint8Array(sizeOf(SecurityDescriptor.$type)));
    SecurityDescriptor.Revision = SECURITY_DESCRIPTOR_REVISION;
    return STATUS.STATUS_SUCCESS;
  }

  RtlSetDaclSecurityDescriptor(Descriptor: unknown, DaclPresent: number, Dacl: unknown, DaclDefaulted: number): number {
    const k = this.k;
    k.checkIrql('RtlSetDaclSecurityDescriptor');
    const SecurityDescriptor = this.descriptor(Descriptor);
    if (SecurityDescriptor === undefined) {
      k.violation('null-param', 'RtlSetDaclSecurityDescriptor needs a security descriptor made with RtlCreateSecurityDescriptor');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    if (Number(SecurityDescriptor.Revision) !== SECURITY_DESCRIPTOR_REVISION) return STATUS.STATUS_UNKNOWN_REVISION;
    let control = Number(SecurityDescriptor.Control) & 0xffff;
    if ((control & SE_SELF_RELATIVE) !== 0) return STATUS.STATUS_INVALID_SECURITY_DESCR;
    control &= ~(SE_DACL_PRESENT | SE_DACL_DEFAULTED);
    if (DaclPresent) {
      control |= SE_DACL_PRESENT;
      if (DaclDefaulted) control |= SE_DACL_DEFAULTED;
      SecurityDescriptor.Dacl = Dacl ?? null;
    } else {
      SecurityDescriptor.Dacl = null;
    }
    SecurityDescriptor.Control = control;
    return STATUS.STATUS_SUCCESS;
  }

  RtlCreateAcl(Acl: unknown, AclLength: number, AclRevision: number): number {
    const k = this.k;
    k.checkIrql('RtlCreateAcl');
    const length = Number(AclLength) >>> 0;
    const revision = Number(AclRevision);
    if (length < ACL_HEADER) return STATUS.STATUS_BUFFER_TOO_SMALL;
    if ((revision !== ACL_REVISION && revision !== ACL_REVISION_DS) || length > MAX_ACL_SIZE) return STATUS.STATUS_INVALID_PARAMETER;
    if (bufferPlace(k.marshal, Acl) === null) {
      k.violation('null-param', 'RtlCreateAcl needs the buffer the ACL goes in');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    // The length is rounded down to a ULONG multiple, as the ACL's size must be.
    writeBuffer(k.marshal, Acl, 0, Uint8Array.from([revision, 0, length & 0xfc, length >> 8, 0, 0, 0, 0]));
    return STATUS.STATUS_SUCCESS;
  }

  RtlAddAccessAllowedAce(Acl: unknown, AceRevision: number, AccessMask: number, Sid: unknown): number {
    return this.addAllowed('RtlAddAccessAllowedAce', Acl, AceRevision, 0, AccessMask, Sid);
  }

  RtlAddAccessAllowedAceEx(Acl: unknown, AceRevision: number, AceFlags: number, AccessMask: number, Sid: unknown): number {
    if ((Number(AceFlags) & ~VALID_ACE_FLAGS) !== 0) return STATUS.STATUS_INVALID_PARAMETER;
    return this.addAllowed('RtlAddAccessAllowedAceEx', Acl, AceRevision, Number(AceFlags) & 0xff, AccessMask, Sid);
  }

  /** Appends an ACCESS_ALLOWED_ACE after the ACL's last ACE, if the ACL's size leaves room. */
  private addAllowed(routine: string, Acl: unknown, AceRevision: number, flags: number, AccessMask: number, Sid: unknown): number {
    const k = this.k;
    k.checkIrql(routine);
    const sid = this.sid(Sid);
    if (sid === undefined) return STATUS.STATUS_INVALID_SID;
    const header = bufferPlace(k.marshal, Acl) === null ? undefined : readBuffer(k.marshal, Acl, ACL_HEADER);
    if (header === undefined) {
      k.violation('null-param', `${routine} needs an ACL made with RtlCreateAcl`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const revision = header[0]!;
    const size = header[2]! | (header[3]! << 8);
    const count = header[4]! | (header[5]! << 8);
    if ((revision !== ACL_REVISION && revision !== ACL_REVISION_DS) || size < ACL_HEADER) return STATUS.STATUS_INVALID_ACL;
    if (Number(AceRevision) > revision || (Number(AceRevision) !== ACL_REVISION && Number(AceRevision) !== ACL_REVISION_DS)) return STATUS.STATUS_REVISION_MISMATCH;
    let end = ACL_HEADER;
    for (let i = 0; i < count; i++) {
      const ace = readBuffer(k.marshal, Acl, 4, end);
      const aceSize = ace[2]! | (ace[3]! << 8);
      if (aceSize < 4 || end + aceSize > size) return STATUS.STATUS_INVALID_ACL;
      end += aceSize;
    }
    const aceSize = ACE_HEADER_AND_MASK + sid.length;
    if (end + aceSize > size) return STATUS.STATUS_ALLOTTED_SPACE_EXCEEDED;
    const mask = Number(AccessMask) >>> 0;
    const ace = new Uint8Array(aceSize);
    ace.set([ACCESS_ALLOWED_ACE_TYPE, flags, aceSize & 0xff, aceSize >> 8, mask & 0xff, (mask >>> 8) & 0xff, (mask >>> 16) & 0xff, mask >>> 24]);
    ace.set(sid, ACE_HEADER_AND_MASK);
    writeBuffer(k.marshal, Acl, end, ace);
    writeBuffer(k.marshal, Acl, 4, Uint8Array.from([(count + 1) & 0xff, (count + 1) >> 8]));
    return STATUS.STATUS_SUCCESS;
  }

  /** PSECURITY_DESCRIPTOR is a PVOID: the absolute SECURITY_DESCRIPTOR it points at, as a view. */
  private descriptor(v: unknown): StructView | undefined {
    if (isView(v)) return v;
    if (!(v instanceof Ptr) || v.alloc === null) return undefined;
    return viewOf(v, this.k.marshal.struct('_SECURITY_DESCRIPTOR'));
  }

  /** The bytes of a valid SID, or undefined (NULL, wrong revision, too many sub-authorities). */
  private sid(Sid: unknown): Uint8Array | undefined {
    if (bufferPlace(this.k.marshal, Sid) === null) return undefined;
    const head = readBuffer(this.k.marshal, Sid, 2);
    if (head[0] !== SID_REVISION || head[1]! > SID_MAX_SUB_AUTHORITIES) return undefined;
    return readBuffer(this.k.marshal, Sid, 8 + 4 * head[1]!);
  }
}

/** `S-1-5-21-…`: the authority (48 bits, big-endian; hex above 32 bits) and each sub-authority. */
export function sidString(sid: Uint8Array): string {
  const dv = new DataView(sid.buffer, sid.byteOffset, sid.byteLength);
  const authority = dv.getUint16(2) * 2 ** 32 + dv.getUint32(4);
  const text = authority >= 2 ** 32 ? `0x${authority.toString(16).toUpperCase().padStart(12, '0')}` : String(authority);
  let out = `S-${sid[0]}-${text}`;
  for (let i = 0; i < sid[1]!; i++) out += `-${dv.getUint32(8 + 4 * i, true)}`;
  return out;
}
