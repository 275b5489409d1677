/**
 * Interrupt request levels as the x64 kernel numbers them. Only the three software levels matter to
 * a minifilter; the device levels exist so that a bad KeRaiseIrql shows a real name, not a number.
 */
export enum Irql {
  PASSIVE_LEVEL = 0,
  APC_LEVEL = 1,
  DISPATCH_LEVEL = 2,
  CLOCK_LEVEL = 13,
  IPI_LEVEL = 14,
  HIGH_LEVEL = 15,
}

const NAMES: Record<number, string> = {
  0: 'PASSIVE_LEVEL',
  1: 'APC_LEVEL',
  2: 'DISPATCH_LEVEL',
  13: 'CLOCK_LEVEL',
  14: 'IPI_LEVEL',
  15: 'HIGH_LEVEL',
};

/** `PASSIVE_LEVEL`, `DISPATCH_LEVEL`, or `DIRQL(5)` for a device level. */
export function irqlName(irql: number): string {
  return NAMES[irql] ?? (irql > Irql.DISPATCH_LEVEL && irql < Irql.CLOCK_LEVEL ? `DIRQL(${irql})` : `IRQL(${irql})`);
}

/** The form the debugger and the timeline print: `PASSIVE_LEVEL (0)`. */
export function formatIrql(irql: number): string {
  return `${irqlName(irql)} (${irql})`;
}

/** Parses `DISPATCH_LEVEL`, `dispatch`, `2`; undefined when the text names no level. */
export function parseIrql(text: string): Irql | undefined {
  const t = text.trim().toUpperCase();
  if (/^\d+$/.test(t)) {
    const n = Number(t);
    return n >= 0 && n <= Irql.HIGH_LEVEL ? (n as Irql) : undefined;
  }
  const full = t.endsWith('_LEVEL') ? t : `${t}_LEVEL`;
  const hit = Object.entries(NAMES).find(([, name]) => name === full);
  return hit ? (Number(hit[0]) as Irql) : undefined;
}
