/**
 * The C library's math.h functions on doubles, which kernel code may call between
 * KeSaveFloatingPointState and KeRestoreFloatingPointState (an entropy measure of written data, a
 * ratio): each is JavaScript's IEEE-754 double operation, as MSVC's library computes it for finite
 * arguments. Domain errors give NaN or an infinity, as the library returns; errno is not modelled.
 */
import type { Builtin } from '../builtin';

const unary: [string, (x: number) => number][] = [
  ['fabs', Math.abs], ['sqrt', Math.sqrt], ['log', Math.log], ['log2', Math.log2], ['log10', Math.log10], ['exp', Math.exp],
  ['floor', Math.floor], ['ceil', Math.ceil], ['sin', Math.sin], ['cos', Math.cos], ['tan', Math.tan], ['atan', Math.atan],
];

/** C's fmod: the remainder with the dividend's sign (JavaScript's `%` on numbers). */
function fmod(x: number, y: number): number {
  return x % y;
}

export function mathBuiltins(): [string, Builtin][] {
  const out: [string, Builtin][] = unary.map(([name, f]) => [name, (call) => f(Number(call.args[0]))]);
  out.push(['pow', (call) => Math.pow(Number(call.args[0]), Number(call.args[1]))]);
  out.push(['fmod', (call) => fmod(Number(call.args[0]), Number(call.args[1]))]);
  out.push(['atan2', (call) => Math.atan2(Number(call.args[0]), Number(call.args[1]))]);
  return out;
}
