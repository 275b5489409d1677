/**
 * The verdict line the debugger writes to the Debug Console when a run ends (the Debuggee's
 * `Run finished at … ms after … steps: PASS  …`), so a Debug run started from the Test Explorer
 * gets a result too. Undefined for any other output.
 */
export function debugVerdict(output: string): { passed: boolean; summary: string } | undefined {
  const m = /^Run (?:finished|stopped) at \d+ ms after \d+ steps: ((PASS|FAIL) {2}.*)$/m.exec(output);
  return m ? { passed: m[2] === 'PASS', summary: m[1]!.trim() } : undefined;
}
