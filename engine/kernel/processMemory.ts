/**
 * The bytes C sees behind a PEPROCESS. EPROCESS is opaque in the WDK, but drivers of the Filemon
 * era (and many copied from them) find the image name by searching the System process's EPROCESS
 * for "System" in DriverEntry and then read `(PCHAR)Process + offset` for any process. So a
 * process's address points at read-only memory laid out like x64 Windows 10/11's EPROCESS in the
 * two places such code reads: UniqueProcessId and the 15-character ImageFileName. Everything else
 * reads as zero; writes are errors (no driver may write an EPROCESS).
 */
import type { AddressSpace } from '../memory/space';
import type { AllocPtr } from '../memory/pointer';
import { encodeChars } from '../memory/strings';

/** sizeof(EPROCESS) on x64 Windows 10 2004 through 11 23H2 (the order of magnitude is what matters). */
export const EPROCESS_SIZE = 0xa40;
/** EPROCESS.UniqueProcessId on those builds. */
export const EPROCESS_UNIQUE_PROCESS_ID = 0x440;
/** EPROCESS.ImageFileName (UCHAR[15]) on those builds. */
export const EPROCESS_IMAGE_FILE_NAME = 0x5a8;

export interface ProcessIdentity {
  readonly id: number;
  readonly name: string;
  /** The 15-character image name EPROCESS keeps. */
  readonly shortName: string;
}

/** Lays out the process's EPROCESS bytes; `owner` is what pointers into them convert back to. */
export function processMemory(space: AddressSpace, owner: ProcessIdentity): AllocPtr {
  const bytes = new Uint8Array(EPROCESS_SIZE);
  new DataView(bytes.buffer).setBigUint64(EPROCESS_UNIQUE_PROCESS_ID, BigInt(owner.id), true);
  bytes.set(encodeChars(owner.shortName, 1, true), EPROCESS_IMAGE_FILE_NAME);
  const a = space.allocate('engine', EPROCESS_SIZE, { owner, label: `EPROCESS of ${owner.name} (pid ${owner.id})`, contents: bytes, readOnly: true });
  return space.pointer(a) as AllocPtr;
}
