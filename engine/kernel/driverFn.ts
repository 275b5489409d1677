/**
 * Driver routines as the engine holds them: interpreted C functions or TypeScript functions, and
 * the names messages and frames give them.
 */
import type { FunctionValue } from './cvalues';

/** A driver callback: interpreted C (`FunctionValue`) or a TypeScript function, plain or generator. */
export type DriverFn = FunctionValue | ((...args: any[]) => unknown);

/** The name of a routine the driver passed (a callback, a worker), or `fallback` when it has none. */
export function nameOf(fn: unknown, fallback: string): string {
  if (typeof fn === 'function' && fn.name) return fn.name;
  if (typeof fn === 'object' && fn !== null && typeof (fn as { name?: unknown }).name === 'string') return (fn as { name: string }).name;
  return fallback;
}
