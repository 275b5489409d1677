/**
 * The Debug Console's completions in protocol terms. The engine finds the names
 * (engine/run/debuggee/completions.ts); this only says where each goes in the typed text.
 *
 * Restart (session.ts) runs the same build of the drivers again from the beginning with the
 * breakpoints kept: a restart that re-read the sources could disagree with the breakpoints already
 * verified against this build, so after editing a driver, stop and start the session instead.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { CompletionItem } from '../../engine';

/** `toClient` turns a 1-based column into the client's numbering. */
export function completionItem(c: CompletionItem, toClient: (column: number) => number): DebugProtocol.CompletionItem {
  return { label: c.label, type: c.kind === 'field' ? 'field' : 'variable', detail: c.detail, start: toClient(c.start + 1), length: c.length };
}
