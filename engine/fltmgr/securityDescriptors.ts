/**
 * FltBuildDefaultSecurityDescriptor / FltFreeSecurityDescriptor: the descriptor a driver gives its
 * communication port, a real self-relative descriptor in paged pool.
 */
import { writeOut } from '../kernel/objects';
import type { Kernel } from '../kernel/kernel';
import type { PoolRoutines } from '../kernel/pool';
import { STATUS } from '../kernel/status';
import { Ptr } from '../memory/pointer';

export class SecurityDescriptorRoutines {
  /** Security descriptors from FltBuildDefaultSecurityDescriptor not freed yet. */
  private readonly descriptors = new Set<object>();

  constructor(
    private readonly k: Kernel,
    private readonly pool: PoolRoutines,
  ) {}

  /** A self-relative descriptor whose DACL grants DesiredAccess to SYSTEM and the Administrators. */
  FltBuildDefaultSecurityDescriptor(SecurityDescriptor: unknown, DesiredAccess: number): number {
    const k = this.k;
    k.checkIrql('FltBuildDefaultSecurityDescriptor');
    writeOut(SecurityDescriptor, null);
    if (SecurityDescriptor === null || SecurityDescriptor === undefined) {
      k.violation('null-param', 'FltBuildDefaultSecurityDescriptor needs a place to return the descriptor');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    if (k.allocationFails('FltBuildDefaultSecurityDescriptor')) return STATUS.STATUS_INSUFFICIENT_RESOURCES;
    const bytes = defaultDescriptor(DesiredAccess >>> 0);
    const block = this.pool.allocate('FltBuildDefaultSecurityDescriptor', bytes.length, 'PagedPool', SD_TAG);
    block.alloc.writeBytes(0, bytes);
    this.descriptors.add(block.alloc);
    writeOut(SecurityDescriptor, block);
    return STATUS.STATUS_SUCCESS;
  }

  FltFreeSecurityDescriptor(SecurityDescriptor: unknown): void {
    const k = this.k;
    k.checkIrql('FltFreeSecurityDescriptor');
    if (!(SecurityDescriptor instanceof Ptr) || SecurityDescriptor.alloc === null || !this.descriptors.has(SecurityDescriptor.alloc)) {
      k.violation('bad-object', 'FltFreeSecurityDescriptor needs a descriptor that FltBuildDefaultSecurityDescriptor returned and that is not freed yet');
      return;
    }
    this.descriptors.delete(SecurityDescriptor.alloc);
    this.pool.free('FltFreeSecurityDescriptor', SecurityDescriptor, { tag: SD_TAG });
  }
}

/** 'FlSd' as a little-endian ULONG: the tag fltsim gives default port descriptors. */
const SD_TAG = 0x6453_6c46;

/** SECURITY_DESCRIPTOR_RELATIVE, an ACL and two ACCESS_ALLOWED_ACEs: S-1-5-18 and S-1-5-32-544. */
function defaultDescriptor(access: number): Uint8Array {
  const system = [1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0];
  const admins = [1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 0x20, 0x02, 0, 0];
  const ace = (sid: number[]): number[] => {
    const size = 8 + sid.length;
    return [0 /* ACCESS_ALLOWED_ACE_TYPE */, 0, size & 0xff, size >> 8, access & 0xff, (access >>> 8) & 0xff, (access >>> 16) & 0xff, access >>> 24, ...sid];
  };
  const aces = [...ace(system), ...ace(admins)];
  const aclSize = 8 + aces.length;
  const acl = [2 /* ACL_REVISION */, 0, aclSize & 0xff, aclSize >> 8, 2, 0, 0, 0, ...aces];
  // Revision 1; Control = SE_DACL_PRESENT | SE_SELF_RELATIVE; no owner, group or SACL; DACL at 20.
  const header = [1, 0, 0x04, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0];
  return Uint8Array.from([...header, ...acl]);
}