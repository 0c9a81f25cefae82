import { invalidArgument } from './errors';

/**
 * Argument checks shared by every public function. Each names the argument so the message says
 * exactly what was wrong ("publicKey must be 32 bytes, got 31"), instead of failing later inside
 * a primitive with an obscure message.
 */

/** Describes a value for an error message without echoing its content (it may be secret). */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof ArrayBuffer) return 'an ArrayBuffer';
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  return typeof value;
}

export function requireBytes(name: string, value: unknown, length?: number): Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw invalidArgument(`${name} must be a Uint8Array, got ${describeValue(value)}`);
  }
  if (length !== undefined && value.length !== length) {
    throw invalidArgument(`${name} must be ${length} bytes, got ${value.length}`);
  }
  return value;
}

export function requireInteger(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw invalidArgument(`${name} must be an integer, got ${describeValue(value)} ${String(value)}`);
  }
  if (value < min || value > max) {
    throw invalidArgument(`${name} must be between ${min} and ${max}, got ${value}`);
  }
  return value;
}

export function requirePositiveNumber(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw invalidArgument(`${name} must be a positive number, got ${String(value)}`);
  }
  return value;
}

export function requireFunction<T>(name: string, value: unknown): T {
  if (typeof value !== 'function') {
    throw invalidArgument(`${name} must be a function, got ${describeValue(value)}`);
  }
  return value as T;
}

/** Options bags are optional; when present they must be plain objects. */
export function requireOptions(name: string, value: unknown): Record<string, unknown> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalidArgument(`${name} must be an object when given, got ${describeValue(value)}`);
  }
  return value as Record<string, unknown>;
}

/** Streams cannot check their input's type at compile time for callers in plain JS or `any`. */
export function requireStreamPiece(piece: unknown): asserts piece is Uint8Array {
  if (!(piece instanceof Uint8Array)) {
    throw invalidArgument(`stream input must be Uint8Array pieces, got ${describeValue(piece)}`);
  }
}
