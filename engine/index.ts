/**
 * The engine's public surface. Everything outside engine/ (debug adapter, language server, CLI,
 * tests) imports from here, never from a module path inside engine/.
 */
export { Irql, irqlName, formatIrql, parseIrql } from './kernel/irql';
export { STATUS, type StatusName, type NtStatus, toStatus, statusName, formatStatus, statusByName, ntSuccess, ntError } from './kernel/status';
export { ENGINE_VERSION } from './version';
export * from './scenario';
