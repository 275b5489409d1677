/**
 * The DAP session: translates Debug Adapter Protocol requests into calls on the engine.
 * It never touches `vscode`, so the same class runs inline in the extension host and as a process.
 */
import { DebugSession, InitializedEvent } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { TRANSITION_FILTERS } from './transitionFilters';

export class FltsimDebugSession extends DebugSession {
  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = {
      ...response.body,
      supportsConfigurationDoneRequest: true,
      exceptionBreakpointFilters: TRANSITION_FILTERS.map((f) => ({ filter: f.id, label: f.label, description: f.description, default: f.default })),
    };
    this.sendResponse(response);
    this.sendEvent(new InitializedEvent());
  }
}
