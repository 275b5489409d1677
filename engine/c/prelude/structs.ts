/**
 * The WDK structures as the built-in headers declare them, for code that lays out or reads C memory
 * without a translation unit at hand (the engine's own FLT_CALLBACK_DATA, a UNICODE_STRING given
 * to DbgPrint's %wZ). Every offset the engine uses comes from these declarations, so the engine and
 * the driver's C agree by construction.
 */
import type { StructType } from '../types';
import { compiledPrelude } from './compiled';

/** The struct with tag `tag` (`_FLT_CALLBACK_DATA`). Needs the C front end loaded, as any compile does. */
export function preludeStruct(tag: string): StructType {
  const st = compiledPrelude().structs.get(tag);
  if (!st || !st.fields) throw new Error(`the built-in headers do not define struct ${tag}`);
  return st;
}
