/**
 * WDK families fltsim leaves out on purpose, so that a driver using one hears why (and what to do)
 * instead of "unknown type" or "not declared" as if it had made a typo.
 */
const FAMILIES: readonly { names: RegExp; why: string }[] = [
  {
    names: /^(P?WSK_|Wsk[A-Z])/,
    why: 'it belongs to Winsock Kernel (WSK) networking, which fltsim does not model — simulate the driver without its networking files (list the other files on the `driver` line) or put that code behind a #define the scenario leaves unset',
  },
  {
    names: /^(P?FWP[SM]?_|Fwp[sm][A-Z])/,
    why: 'it belongs to the Windows Filtering Platform (WFP callouts, fwpsk.h/fwpmk.h), network filtering fltsim does not model — simulate the driver without its WFP files (list the other files on the `driver` line) or put that code behind a #define the scenario leaves unset',
  },
  {
    names: /^(P?TDI_|Tdi[A-Z]|P?TRANSPORT_ADDRESS$|P?TA_ADDRESS$)/,
    why: 'it belongs to the Transport Driver Interface (TDI, tdikrnl.h), the legacy network stack fltsim does not model — simulate the driver without its TDI files (list the other files on the `driver` line) or put that code behind a #define the scenario leaves unset',
  },
];

/** Why `name` is left out, when it belongs to a family fltsim does not model. */
export function unmodelledFamily(name: string): string | undefined {
  return FAMILIES.find((f) => f.names.test(name))?.why;
}
