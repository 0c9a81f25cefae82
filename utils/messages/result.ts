/**
 * What every cross-context call resolves to. Receivers never throw across a context boundary
 * (an exception would surface as an opaque "Could not establish connection" or be lost): they
 * answer with a failure that carries a stable code and a message a person can read.
 */
export type Result<T> = { ok: true; value: T } | { ok: false; error: Failure };

export interface Failure {
  code: string;
  message: string;
}

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail(code: string, message: string): { ok: false; error: Failure } {
  return { ok: false, error: { code, message } };
}
