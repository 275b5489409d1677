/**
 * The engine's public surface. Everything outside engine/ (debug adapter, language server, CLI,
 * tests) imports from here, never from a module path inside engine/.
 */
export { Irql, irqlName, formatIrql, parseIrql } from './kernel/irql';
export { STATUS, type StatusName, type NtStatus, toStatus, statusName, formatStatus, statusByName, ntSuccess, ntError } from './kernel/status';
export { ENGINE_VERSION } from './version';
export * from './scenario';
// Simulation engine (kernel + Filter Manager model)
export { Simulation, type SimulationOptions, type LoadOptions, type StepResult, type RunResult } from './sim';
export { defineFilter, type FilterSpec, type OperationSpec, type DefinedFilter } from './fltmgr/define';
export type { Api } from './fltmgr/routines';
export type { Snapshot, ThreadSnapshot, CallbackDataSnapshot, CbdqSnapshot, FilterSnapshot, WorkQueueSnapshot } from './fltmgr/snapshot';
export type { IoRequestInput, IoFlags } from './fltmgr/requests';
export type { IoResult, DriverObject } from './fltmgr/fltmgr';
export { FltCallbackData, type DataState } from './fltmgr/callbackData';
export { Filter, Instance, Volume } from './fltmgr/objects';
export { GenericWorkItem, DeferredIoWorkItem } from './fltmgr/workitems';
export * as flt from './fltmgr/constants';
export { Trap, invoke, isCo, type Co, type MaybeCo } from './kernel/coroutine';
export { Ref, LargeInteger, WideText, makeUnicodeString, unicodeStringText, isFunctionValue, type FunctionValue, type OutParam } from './kernel/cvalues';
export { poolBlock } from './kernel/pool';
export { Ptr, ownerOf, type AllocPtr } from './memory/pointer';
export { viewOf, viewAt, Cell, isView, type StructView } from './memory/view';
export type { Allocation } from './memory/allocation';
export { KThread, type Frame } from './kernel/thread';
export type { SimEvent, EventKind, SourceLocation } from './kernel/events';
export type { Violation } from './kernel/kernel';
export type { DriverFn } from './kernel/driverFn';
export { RUNTIME_RULES, RULE_IDS, type RuleId } from './kernel/rules';
export { SYSTEM_TIME_AT_TICK_0, UNITS_PER_TICK } from './kernel/time';
export { MAX_SEED, isValidSeed } from './kernel/random';
// Files: the platform's path rules, finding files as Windows would, source bytes to text
export * from './files';
// Driver projects (.vcxproj, folder, file list), shared by the runner, the debugger and the linter
export * from './project';
// Running scenarios: C drivers compiled and interpreted against the engine
export { prepareScenario, prepareScenarioText, warmUpEngine, formatRunDiagnostic, type PrepareOptions, type PrepareStage, type RunDiagnostic, type PreparedScenario, type PreparedDriver, type PrepareResult } from './run/prepare';
export { validateScenario, SCENARIO_RULE_IDS, type ScenarioCheck, type ValidateOptions } from './run/validate';
export { DEFAULT_SEED, type WorldOptions, type RunFault } from './run/world';
export { runScenario, type ScenarioRun, type ScenarioRunOptions } from './run/runScenario';
export type { RunReport, ReportIo, ReportViolation, ReportOutcome } from './run/report';
export { expectationLine, problemLine, verdictSummary } from './run/verdictText';
export { LIMIT_NAMES, LIMIT_INFO, DEFAULT_LIMITS, isLimitName, resolveLimits, limitHint, type LimitName, type Limits } from './limits';
export {
  buildTimeline, timelineOfLog, markerOf, eventAt, toChromeTrace, explainData, parseDataRef, explanationText, explanationMermaid, explanationMarkdown,
  type RunTimeline, type TimelineEvent, type TimelineLane, type TimelineSpan, type TimelineFlow, type DataLife, type IrqlChange, type LaneRole, type MarkerKind,
  type SpanKind, type FlowKind, type TimelineOptions, type TimelineSource, type ChromeTrace, type TraceEvent, type Explanation, type ExplainStep, type ExplainResult,
} from './run/timeline';
// Schedule exploration: the scheduling seam, strategies, replay files (engine/explore, engine/run/explore.ts)
export { TIME_PASSES, SeededPolicy, type ActorId, type Decision, type SchedulePolicy, type StepObserver } from './kernel/schedule';
export { STRATEGIES, DEFAULT_MAX as DEFAULT_MAX_SCHEDULES, explore, Explorer, type Strategy, type ExploreOptions, type ExploreTarget, type Exploration, type RunVerdict, type ExploreStop } from './explore/explorer';
export { ReplayPolicy, RandomWalkPolicy, PctPolicy, ScheduleMismatch } from './explore/policies';
export { DepthFirstSearch, SPLIT_DEPTH, shardOf, AbandonRun, type Shard } from './explore/dfs';
export { Trace, type TraceStep, type DecisionRecord } from './explore/trace';
export { minimise, type Minimised } from './explore/minimize';
export { addDigests, preemptionCost, type Schedule } from './explore/schedule';
export { parseExploreReport, MAX_SHARDS, type ExploreReportParse } from './run/exploreReportFile';
export { parseReplayFile, textHash, REPLAY_FORMAT, REPLAY_VERSION, type ReplayFile, type ReplayParse } from './explore/replayFile';
export {
  exploreScenario, ScenarioExplorer, ScenarioTarget, judgeRun, interleaving, mergeExploreReports, INPUT_ERRORS,
  type ScenarioExploreOptions, type ScenarioExploration, type ExploreReport, type ExploreFailure, type ScenarioVerdict, type ScheduleFailure,
  type InterleavingStep, type SourcePlace, interleavingSteps,
} from './run/explore';
export { ScenarioSplit } from './run/exploreSplit';
export { SubtreeOrder, type SubtreeResult } from './explore/split';
export { CRuntimeError } from './interp/errors';
export { typeName, type CType } from './c/types';
// Debugging a scenario: one object with plain-data answers (engine/run/debuggee/)
export {
  Debuggee, type DebuggeeOptions, type Stop, type StopReason, type StepHow, type CommandResult, type Progress, type OutputCategory, type OutputSink,
  type ThreadInfo, type FrameInfo, type ScopeInfo, type EvaluationResult, type SetValueResult, type EvaluateOptions,
} from './run/debuggee/debuggee';
export type { DataQuery } from './run/debuggee/dataTargets';
export type { DataAccessType, DataBreakpointInfo, DataBreakpointSpec, DataBreakpointState } from './run/debuggee/dataBreakpoints';
export type { MemoryRead } from './run/debuggee/memoryIndex';
export type { CompletionItem } from './run/debuggee/completions';
export type { BreakpointInfo, LineBreakpointSpec, FunctionBreakpointSpec } from './run/debuggee/breakpoints';
export type { VariableInfo, VariablesQuery } from './run/debuggee/variables';
export { TRANSITION_FILTER_IDS, DEFAULT_TRANSITION_FILTERS, type TransitionFilterId } from './run/debuggee/transitions';
// Lint rules (static analysis of driver C) and the routine catalog behind hover text
export { initLinter, lintText, LintDocument, lintLanguageOf, type LintLanguage, ProjectLint, validateOptions, LINT_RULES, lintRule, findSuppressions, disableNextLineEdit, formatText, formatJson, formatSarif, summarize, type FileReport, type LintNote } from './lint';
export type { Finding, LintOptions, LintResult, ParseNote, QuickFix, RelatedLocation, RuleMeta, SeveritySetting, Range as LintRange, Position as LintPosition, TextEdit as LintTextEdit } from './lint';
export { apiInfo, maxIrqlFor, API_CATALOG, type ApiInfo, type IrqlBound } from './api/catalog';
// Starter scenarios written from a driver project (`fltsim init`)
export * from './starter';
