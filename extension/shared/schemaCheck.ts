/**
 * Checking a protocol message's arguments against JSON Schema (Ajv), for the debug adapter's DAP
 * requests and the language server's LSP requests and notifications alike: one validator, one way
 * of saying what is wrong (`setBreakpoints: arguments.source is required`).
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';

export type Schema = Record<string, unknown>;

export const integer = (minimum?: number, maximum?: number): Schema => ({ type: 'integer', ...(minimum !== undefined ? { minimum } : {}), ...(maximum !== undefined ? { maximum } : {}) });
export const str: Schema = { type: 'string' };
export const bool: Schema = { type: 'boolean' };
export const obj = (properties: Record<string, Schema>, required: string[] = []): Schema => ({ type: 'object', properties, required });

const ajv = new Ajv({ allErrors: false, strict: false });

function describe(name: string, root: string, e: ErrorObject): string {
  const where = `${root}${e.instancePath.replace(/\//g, '.').replace(/\.(\d+)/g, '[$1]')}`;
  if (e.keyword === 'required') return `${name}: ${where}.${String((e.params as { missingProperty: string }).missingProperty)} is required`;
  if (e.keyword === 'enum') return `${name}: ${where} must be one of ${((e.params as { allowedValues: unknown[] }).allowedValues).map((v) => JSON.stringify(v)).join(', ')}`;
  return `${name}: ${where} ${e.message ?? 'is not valid'}`;
}

/**
 * A checker for messages named by `schemas`' keys. `root` is what the arguments are called in
 * messages (`arguments` in DAP, `params` in LSP); `hint` may replace the message for an error.
 */
export function schemaChecker(schemas: Readonly<Record<string, Schema>>, root: string, hint?: (name: string, e: ErrorObject) => string | undefined): (name: string, value: unknown) => string | undefined {
  const validators = new Map<string, ValidateFunction>(Object.entries(schemas).map(([name, schema]) => [name, ajv.compile(schema)]));
  return (name, value) => {
    const validate = validators.get(name);
    if (!validate) return undefined;
    // Messages whose arguments are all optional may leave them out.
    if (validate(value ?? {})) return undefined;
    const e = validate.errors?.[0];
    if (!e) return `${name}: the ${root} are not valid`;
    return hint?.(name, e) ?? describe(name, root, e);
  };
}
