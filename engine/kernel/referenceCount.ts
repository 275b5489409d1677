/**
 * The references drivers hold on one object (devices, sections, processes), each with the routine
 * and C line that took it; objectManager.ts takes and gives them back and reports leaks. Kept apart
 * from the object manager so the objects that count references need not import the kernel.
 */
import type { SourceLocation } from './events';

export interface TakenReference {
  routine: string;
  site: { location: SourceLocation; function: string } | undefined;
}

/** The references drivers hold on one object, oldest first. */
export class ReferenceCount {
  readonly held: TakenReference[] = [];
  constructor(readonly label: string) {}
}

/** An object whose references the object manager counts. */
export interface Referenced {
  readonly refs: ReferenceCount;
}

export function isReferenced(v: unknown): v is Referenced {
  return typeof v === 'object' && v !== null && (v as Referenced).refs instanceof ReferenceCount;
}

