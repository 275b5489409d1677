/**
 * The scenario language: parse a `.fltsim` file, check its driver files, order its workload, and
 * judge its expectations after a run. engine/index.ts re-exports this module.
 */
export type {
  Span,
  Scenario,
  Statement,
  TitleStatement,
  DriverStatement,
  DriverPath,
  DriverSourceKind,
  DefineStatement,
  IoStatement,
  CancelStatement,
  UnloadStatement,
  Expectation,
  ExpectStatement,
  SeedStatement,
  ProcessorsStatement,
  WorkersStatement,
  FileStatement,
  RegistryStatement,
  LimitStatement,
  RegistryValue,
  ClientStatement,
  ClientMatch,
  TransactionStatement,
  DiagnosticSeverity,
  ScenarioDiagnostic,
  ScenarioDiagnosticCode,
} from './ast';
export { IO_DEFAULTS } from './ast';
export { parseScenario, emptyScenario, type ParseResult } from './parser';
export { moduleNameOf } from './statements';
export { checkScenarioFiles, scenarioFileBytes, driverProjectSpec, readDriverProjects, resolveDriverPath, formatDiagnostic } from './files';
export { checkDriverNames } from './checks';
export { workloadTimeline, type WorkloadEvent } from './timeline';
export {
  judgeRun, evaluateExpectations, expectedText, validateRuleIds, hangingProblem,
  type RunFacts, type RunEnd, type IoFact, type BlockedThread, type ExpectationResult, type ExpectationVerdict, type Verdict, type UnaskedViolations, type ViolationFact,
} from './expectations';
export {
  STATEMENT_KEYWORDS,
  IO_OPS,
  IO_OP_NAMES,
  IO_FLAGS,
  IO_FLAG_NAMES,
  IO_OPTIONS,
  IO_OPTION_NAMES,
  IO_STATES,
  RULE_ID_PATTERN,
  STOP_REASONS,
  type RunStopReason,
  type IoOp,
  type IoFlag,
  type IoOption,
  type IoState,
  type IrpMajor,
} from './vocabulary';
