/**
 * A scenario's registry lines given to a simulation (keys, values, the program's operations), and
 * what its `expect registry` lines ask about, read from the registry when the run is over.
 */
import type { Scenario } from '../scenario/ast';
import type { Simulation } from '../sim';
import { RegKey, type RegistryTree } from '../kernel/registryTree';
import type { RegistryOperation } from '../kernel/registryWorkload';
import { registryFactKey, type RegistryFact } from '../scenario/expectations';

/** Values of every driver's service key (`registry "Name" dword 1`), as SimulationOptions wants them. */
export function serviceValues(sc: Scenario): Record<string, NonNullable<Scenario['registry'][number]['value']>> {
  const out: Record<string, NonNullable<Scenario['registry'][number]['value']>> = {};
  for (const r of sc.registry) if (r.key === undefined && r.name !== undefined && r.value !== undefined) out[r.name] = r.value;
  return out;
}

/** Keys first (a `volatile` one keeps its kind), then the values in them, then the program's operations. */
export function setUpRegistry(sim: Simulation, sc: Scenario): void {
  for (const r of sc.registry) if (r.key !== undefined && r.name === undefined) sim.registry.declareKey(r.key, r.volatile);
  for (const r of sc.registry) if (r.key !== undefined && r.name !== undefined && r.value !== undefined) sim.registry.declareValue(r.key, r.name, r.value);
  for (const o of sc.registryOps) {
    sim.registryOp({ id: o.id, at: o.time, ...(o.process !== undefined ? { process: o.process } : {}), op: operation(o) });
  }
}

function operation(o: Scenario['registryOps'][number]): RegistryOperation {
  switch (o.op) {
    case 'create-key':
      return { op: 'create-key', path: o.path, volatile: o.volatile };
    case 'open-key':
    case 'delete-key':
      return { op: o.op, path: o.path };
    case 'set-value':
      return { op: 'set-value', path: o.path, name: o.name ?? '', value: o.value ?? { type: 'none' } };
    case 'query-value':
    case 'delete-value':
      return { op: o.op, path: o.path, name: o.name ?? '' };
  }
}

/** For each `expect registry` line: whether its key or value is there, and the value's type and bytes. */
export function registryFacts(sc: Scenario, tree: RegistryTree): Map<string, RegistryFact> {
  const out = new Map<string, RegistryFact>();
  for (const e of sc.expectations) {
    if (e.what !== 'registry') continue;
    const key = tree.find(e.key);
    let fact: RegistryFact;
    if (!(key instanceof RegKey)) fact = 'absent';
    else if (e.name === undefined) fact = 'exists';
    else {
      const v = key.value(e.name);
      fact = v === undefined ? 'absent' : { type: v.type, data: v.data };
    }
    out.set(registryFactKey(e.key, e.name), fact);
  }
  return out;
}
