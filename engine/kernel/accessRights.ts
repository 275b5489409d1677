/**
 * Access-mask bits and security-descriptor/ACE constants shared by the routines that build
 * descriptors (sids.ts), check access against them (accessCheck.ts) and map generic rights for an
 * object type (registry.ts), so each value is written once.
 */
export const GENERIC_READ = 0x80000000;
export const GENERIC_WRITE = 0x40000000;
export const GENERIC_EXECUTE = 0x20000000;
export const GENERIC_ALL = 0x10000000;
export const MAXIMUM_ALLOWED = 0x02000000;

/** SECURITY_DESCRIPTOR_CONTROL bits. */
export const SE_DACL_PRESENT = 0x0004;
export const SE_DACL_DEFAULTED = 0x0008;
export const SE_SELF_RELATIVE = 0x8000;

export const ACCESS_ALLOWED_ACE_TYPE = 0;
export const ACCESS_DENIED_ACE_TYPE = 1;
