/**
 * `fltsim init`: a starter scenario written from a driver project (engine/index.ts re-exports this).
 * facts.ts reads the project, compose.ts writes the scenario, literals.ts sorts the driver's strings.
 */
export { driverFacts, registeredCallbacks, type DriverFacts, type OperationCallbacks, type RegistrationCallback } from './facts';
export { composeStarter, STARTER_VOLUME, type ComposeOptions } from './compose';
export { stringLiterals, classifyLiterals, type LiteralFacts, type SourceLiteral } from './literals';
export { starterTarget, type StarterTarget } from './target';
export { starterScenario, type StarterResult, type StarterOptions } from './starter';
