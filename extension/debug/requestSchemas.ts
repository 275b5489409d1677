/**
 * The arguments each DAP request the adapter handles must have, as JSON Schema (the language the DAP
 * specification itself is written in), checked with Ajv before a handler runs. A request that does
 * not match gets `success: false` and a message naming the argument; the handlers then only see
 * arguments of the right shape. Whether a thread, frame or reference exists is the session's check.
 */
import type { ErrorObject } from 'ajv';
import { MAX_SEED } from '../../engine';
import { bool, integer, obj, schemaChecker, str, type Schema } from '../shared/schemaCheck';

/** DAP ids are positive 32-bit integers in practice; JSON numbers that are not safe integers never name anything. */
const id = integer(0, 2 ** 31 - 1);

const thread = obj({ threadId: id, singleThread: bool, granularity: str }, ['threadId']);
const format = obj({ hex: bool });

export const REQUEST_SCHEMAS: Readonly<Record<string, Schema>> = {
  initialize: obj({ adapterID: str, clientID: str, linesStartAt1: bool, columnsStartAt1: bool, pathFormat: str }, ['adapterID']),
  launch: obj({ scenario: { type: 'string', minLength: 1 }, stopOnEntry: bool, seed: integer(0, MAX_SEED), noDebug: bool, workspaceFolder: str, replay: str }, ['scenario']),
  configurationDone: obj({}),
  setBreakpoints: obj({
    source: obj({ path: str, name: str, sourceReference: integer() }),
    breakpoints: { type: 'array', items: obj({ line: integer(1), column: integer(1), condition: str, hitCondition: str, logMessage: str }, ['line']) },
    lines: { type: 'array', items: integer(1) },
    sourceModified: bool,
  }, ['source']),
  setFunctionBreakpoints: obj({ breakpoints: { type: 'array', items: obj({ name: { type: 'string', minLength: 1 }, condition: str, hitCondition: str }, ['name']) } }, ['breakpoints']),
  setExceptionBreakpoints: obj({ filters: { type: 'array', items: str }, filterOptions: { type: 'array' }, exceptionOptions: { type: 'array' } }, ['filters']),
  continue: thread,
  next: thread,
  stepIn: obj({ threadId: id, singleThread: bool, targetId: integer(), granularity: str }, ['threadId']),
  stepOut: thread,
  stepBack: thread,
  reverseContinue: thread,
  pause: obj({ threadId: id }, ['threadId']),
  threads: obj({}),
  stackTrace: obj({ threadId: id, startFrame: integer(0), levels: integer(0), format }, ['threadId']),
  scopes: obj({ frameId: id }, ['frameId']),
  variables: obj({ variablesReference: id, filter: { enum: ['indexed', 'named'] }, start: integer(0), count: integer(0), format }, ['variablesReference']),
  setVariable: obj({ variablesReference: id, name: str, value: str, format }, ['variablesReference', 'name', 'value']),
  evaluate: obj({ expression: str, frameId: id, context: str, format }, ['expression']),
  exceptionInfo: obj({ threadId: id }, ['threadId']),
  dataBreakpointInfo: obj({ variablesReference: integer(0, 2 ** 31 - 1), name: str, frameId: id, bytes: integer(1, 1 << 20), asAddress: bool, mode: str }, ['name']),
  setDataBreakpoints: obj({ breakpoints: { type: 'array', items: obj({ dataId: str, accessType: { enum: ['read', 'write', 'readWrite'] }, condition: str, hitCondition: str }, ['dataId']) } }, ['breakpoints']),
  readMemory: obj({ memoryReference: str, offset: integer(), count: integer(0) }, ['memoryReference', 'count']),
  writeMemory: obj({ memoryReference: str, offset: integer(), allowPartial: bool, data: str }, ['memoryReference', 'data']),
  completions: obj({ frameId: id, text: str, column: integer(0), line: integer(0) }, ['text', 'column']),
  breakpointLocations: obj({ source: obj({ path: str, name: str, sourceReference: integer() }), line: integer(1), column: integer(1), endLine: integer(1), endColumn: integer(1) }, ['source', 'line']),
  loadedSources: obj({}),
  restart: obj({ arguments: { type: 'object' } }),
  terminate: obj({ restart: bool }),
  disconnect: obj({ restart: bool, terminateDebuggee: bool, suspendDebuggee: bool }),
};

/** What users write wrongly in launch.json gets a sentence of its own rather than a schema message. */
const LAUNCH_HINTS: Readonly<Record<string, string>> = {
  scenario: 'The launch configuration needs "scenario": the path of a .fltsim file.',
  seed: `"seed" must be a whole number from 0 to ${MAX_SEED}.`,
  stopOnEntry: '"stopOnEntry" must be true or false.',
};

/** Undefined when the request's arguments are well-formed (or the command has no schema), else why not. */
export const checkArguments = schemaChecker(REQUEST_SCHEMAS, 'arguments', (command: string, e: ErrorObject) => {
  if (command !== 'launch') return undefined;
  const prop = e.keyword === 'required' ? String((e.params as { missingProperty: string }).missingProperty) : e.instancePath.split('/')[1];
  return prop !== undefined ? LAUNCH_HINTS[prop] : undefined;
});
