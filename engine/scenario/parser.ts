/**
 * Entry point of the `.fltsim` parser. It never throws on user input: it returns what parsed plus
 * a diagnostic for every problem, and moves on to the next line after an error. A scenario with
 * any error-level diagnostic must not be run.
 */
import { parseOpenProcess, parseProcess } from './processStatement';
import { parseRegistry } from './registryStatement';
import type { Scenario, ScenarioDiagnostic, Statement } from './ast';
import { checkScenario } from './checks';
import { LineCursor } from './cursor';
import { parseClient } from './clientStatement';
import { parseTransaction } from './transactionStatement';
import { parseExpect } from './expectStatement';
import { lexLine, splitLines, type Token } from './lexer';
import {
  parseCancel,
  parseDefine,
  parseDriver,
  parseFile,
  parseIo,
  parseLimit,
  parseProcessors,
  parseSeed,
  parseTitle,
  parseAttach,
  parseUnload,
  parseVolume,
  parseWorkers,
} from './statements';
import { didYouMean } from './suggest';
import { IO_OP_NAMES, STATEMENT_KEYWORDS, type StatementKeyword } from './vocabulary';

export interface ParseResult {
  scenario: Scenario;
  /** Sorted by line, then column. */
  diagnostics: ScenarioDiagnostic[];
}

export function emptyScenario(): Scenario {
  return { statements: [], drivers: [], defines: [], ios: [], cancels: [], unloads: [], expectations: [], files: [], volumes: [], attaches: [], registry: [], registryOps: [], clients: [], transactions: [], processes: [], processOpens: [], workers: {}, limits: {} };
}

const PARSERS: Record<StatementKeyword, (cur: LineCursor, keyword: Token) => Statement | undefined> = {
  scenario: parseTitle,
  driver: parseDriver,
  define: parseDefine,
  io: parseIo,
  cancel: parseCancel,
  unload: parseUnload,
  expect: parseExpect,
  seed: parseSeed,
  processors: parseProcessors,
  workers: parseWorkers,
  file: parseFile,
  volume: parseVolume,
  attach: parseAttach,
  registry: parseRegistry,
  client: parseClient,
  transaction: parseTransaction,
  limit: parseLimit,
  process: parseProcess,
  'open-process': parseOpenProcess,
};

export function parseScenario(text: string): ParseResult {
  const scenario = emptyScenario();
  const diagnostics: ScenarioDiagnostic[] = [];
  const attemptedIoIds = new Set<number>();
  let attemptedDriver = false;
  splitLines(text).forEach((lineText, index) => {
    const lexed = lexLine(lineText, index + 1);
    diagnostics.push(...lexed.problems);
    const first = lexed.tokens[0];
    if (!first) return;
    const keyword = first.kind === 'word' && (STATEMENT_KEYWORDS as readonly string[]).includes(first.value) ? (first.value as StatementKeyword) : undefined;
    if (keyword === 'io' && lexed.tokens[1]?.kind === 'ioref' && /^[1-9][0-9]*$/.test(lexed.tokens[1].value)) {
      attemptedIoIds.add(Number(lexed.tokens[1].value));
    }
    if (keyword === 'driver') attemptedDriver = true;
    // A line with a broken string would only produce a second, confusing error.
    if (lexed.problems.length > 0) return;
    const cur = new LineCursor(lexed, diagnostics);
    cur.next();
    if (!keyword) {
      reportUnknownKeyword(cur, first);
      return;
    }
    const stmt = PARSERS[keyword](cur, first);
    if (stmt) {
      add(scenario, stmt);
      if (stmt.kind === 'io') attemptedIoIds.delete(stmt.id);
    }
  });
  checkScenario(scenario, { attemptedIoIds, attemptedDriver: attemptedDriver && scenario.drivers.length === 0 }, diagnostics);
  diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
  return { scenario, diagnostics };
}

function reportUnknownKeyword(cur: LineCursor, first: Token): void {
  const keywords = STATEMENT_KEYWORDS.join(', ');
  if (first.kind !== 'word') {
    cur.error(first, 'unknown-keyword', `a line must start with a keyword, found ${first.raw}`, `Start the line with one of: ${keywords}. Comments start with //.`);
    return;
  }
  if ((IO_OP_NAMES as readonly string[]).includes(first.value)) {
    cur.error(first, 'unknown-keyword', `'${first.value}' is an io operation, not a statement`, `Write it as an io line: io #1 ${first.value} "\\Device\\HarddiskVolume1\\a.txt"`);
    return;
  }
  cur.error(first, 'unknown-keyword', `unknown keyword '${first.value}'${didYouMean(first.value, STATEMENT_KEYWORDS)}`, `Start the line with one of: ${keywords}. Comments start with //.`);
}

/** Files the statement under its kind; for settings given twice the first wins (checks report the repeat). */
function add(scenario: Scenario, stmt: Statement): void {
  scenario.statements.push(stmt);
  switch (stmt.kind) {
    case 'scenario':
      scenario.title ??= stmt.title;
      break;
    case 'driver':
      scenario.drivers.push(stmt);
      break;
    case 'define':
      scenario.defines.push(stmt);
      break;
    case 'io':
      scenario.ios.push(stmt);
      break;
    case 'cancel':
      scenario.cancels.push(stmt);
      break;
    case 'unload':
      scenario.unloads.push(stmt);
      break;
    case 'expect':
      scenario.expectations.push(stmt);
      break;
    case 'seed':
      scenario.seed ??= stmt.seed;
      break;
    case 'processors':
      scenario.processors ??= stmt.count;
      break;
    case 'workers':
      if (!scenario.statements.some((s) => s.kind === 'workers' && s !== stmt)) {
        if (stmt.delayed !== undefined) scenario.workers.delayed = stmt.delayed;
        if (stmt.critical !== undefined) scenario.workers.critical = stmt.critical;
      }
      break;
    case 'file':
      scenario.files.push(stmt);
      break;
    case 'volume':
      scenario.volumes.push(stmt);
      break;
    case 'attach':
      scenario.attaches.push(stmt);
      break;
    case 'registry':
      scenario.registry.push(stmt);
      break;
    case 'registry-op':
      scenario.registryOps.push(stmt);
      break;
    case 'client':
      scenario.clients.push(stmt);
      break;
    case 'transaction':
      scenario.transactions.push(stmt);
      break;
    case 'limit':
      scenario.limits[stmt.name] ??= stmt.value;
      break;
    case 'process':
      scenario.processes.push(stmt);
      break;
    case 'open-process':
      scenario.processOpens.push(stmt);
      break;
  }
}
