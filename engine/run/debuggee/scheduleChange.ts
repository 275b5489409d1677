/** Where a followed schedule first leaves the default one, in the words the debugger shows. */
import type { ReplayPolicy } from '../../explore/policies';
import { TIME_PASSES } from '../../kernel/schedule';
import type { World } from '../world';

export interface ScheduleChange {
  /** 1-based, as the replay file counts decisions. */
  decision: number;
  /** `Delayed worker runs while Read thread is held back`, `time passes to 5 ms`. */
  description: string;
}

/** The decision where the schedule `policy` follows first leaves the default, once the run has reached it. */
export function scheduleChangeOf(policy: ReplayPolicy | undefined, world: World): ScheduleChange | undefined {
  const d = policy?.firstChangeDecision;
  if (d === undefined) return undefined;
  const threads = world.sim.kernel.threads;
  const name = (id: number): string => threads.get(id)?.name ?? `thread ${id}`;
  const held = d.running !== 0 ? name(d.running) : d.preferred !== TIME_PASSES ? name(d.preferred) : undefined;
  const what = d.choice === TIME_PASSES ? `time passes to ${world.sim.now} ms` : `${name(d.choice)} runs`;
  return { decision: d.index + 1, description: `${what}${held ? ` while ${held} is held back` : ''}` };
}
