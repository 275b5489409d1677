/**
 * Expression evaluation and value inspection against a World, for debuggers: picks the module of
 * the frame (or the first driver when there is no frame) and supplies the display context.
 */
import { evaluateExpression, type EvaluateResult } from '../interp/evaluate';
import type { CFrame } from '../interp/frame';
import type { InspectContext } from './inspect';
import type { World } from './world';

export function evaluateInFrame(world: World, frame: CFrame | undefined, text: string, allowAssignment = false): EvaluateResult {
  const module = (frame && world.modules.get(frame.fn.module)) ?? world.modules.values().next().value;
  if (!module) return { ok: false, message: 'no driver is loaded' };
  return evaluateExpression(world.interp, module, frame, text, { allowAssignment });
}

export function inspectContext(world: World): InspectContext {
  return {
    addresses: world.interp.addresses,
    enumNames: (name) => {
      for (const m of world.modules.values()) {
        const names = m.enumNames(name);
        if (names) return names;
      }
      return undefined;
    },
  };
}
