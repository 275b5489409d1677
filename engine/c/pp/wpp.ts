/**
 * WPP software tracing. A driver that traces with WPP includes `<file>.tmh`, a header the WPP
 * preprocessor generates at build time from the trace calls in the file; it is never in the
 * sources. fltsim stands in for it: WPP_INIT_TRACING, WPP_CLEANUP and WPP_SYSTEMCONTROL do
 * nothing, and every trace call — DoTraceMessage and the functions the project declares in a
 * `begin_wpp config` … `end_wpp` comment block (`FUNC TraceEvents(LEVEL, FLAGS, MSG, ...);`) —
 * is a statement that does nothing, its arguments not evaluated, as when no trace session has
 * enabled the provider (the messages would go to ETW, not to the debugger's output).
 */

/** The trace function names declared by `FUNC Name(...)` / `FUNC Name{…}(...)` inside WPP config blocks. */
export function wppTraceFunctions(text: string): string[] {
  const names: string[] = [];
  const blocks = /begin_wpp\s+config([\s\S]*?)end_wpp/g;
  for (let m = blocks.exec(text); m !== null; m = blocks.exec(text)) {
    const funcs = /\bFUNC\s+([A-Za-z_]\w*)\s*[{(]/g;
    for (let f = funcs.exec(m[1]); f !== null; f = funcs.exec(m[1])) names.push(f[1]);
  }
  return names;
}

/** The text fltsim uses for a generated `.tmh` header, given the project's trace function names. */
export function wppStandInHeader(traceFunctions: Iterable<string>): string {
  const lines: string[] = [];
  const define = (name: string, body: string) => lines.push(`#ifndef ${name}`, `#define ${name}(...) ${body}`, '#endif');
  define('WPP_INIT_TRACING', '((void)0)');
  define('WPP_CLEANUP', '((void)0)');
  define('WPP_SYSTEMCONTROL', '((void)0)');
  define('DoTraceMessage', '((void)0)');
  for (const name of new Set(traceFunctions)) define(name, '((void)0)');
  return `${lines.join('\n')}\n`;
}

/** Whether an include names a WPP-generated header. */
export function isWppGeneratedHeader(name: string): boolean {
  return /\.tmh$/i.test(name);
}
