/**
 * The table of subcommands. Each command module registers itself here when imported; main.ts only
 * dispatches. Kept apart from main.ts so command modules can import it without a cycle.
 */
export interface Command {
  summary: string;
  usage: string;
  run(argv: string[]): Promise<number>;
}

export const COMMANDS: Record<string, Command> = {};

export function registerCommand(name: string, command: Command): void {
  COMMANDS[name] = command;
}
