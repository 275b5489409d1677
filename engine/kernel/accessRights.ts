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
export const ACCESS_SYSTEM_SECURITY = 0x01000000;
export const READ_CONTROL = 0x00020000;
export const WRITE_DAC = 0x00040000;
/** STANDARD_RIGHTS_ALL | SPECIFIC_RIGHTS_ALL: every right an object type can have. */
export const ALL_OBJECT_RIGHTS = 0x001fffff;

/** SECURITY_DESCRIPTOR_CONTROL bits. */
export const SE_DACL_PRESENT = 0x0004;
export const SE_DACL_DEFAULTED = 0x0008;
export const SE_SELF_RELATIVE = 0x8000;

export const ACCESS_ALLOWED_ACE_TYPE = 0;
export const ACCESS_DENIED_ACE_TYPE = 1;
/** ACE flags. */
export const INHERIT_ONLY_ACE = 0x08;
