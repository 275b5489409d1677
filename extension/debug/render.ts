/**
 * One-line renderings of C values for logpoints and the REPL, from the engine's inspector.
 */
import { inspect, inspectContext, type CType, type World } from '../../engine';

export function renderValue(world: World, value: unknown, type: CType): string {
  return inspect(inspectContext(world), value, type).value;
}
