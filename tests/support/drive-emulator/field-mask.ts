import type { FieldSchema } from './field-schemas';
import { invalidFieldSelection } from './google-errors';

/**
 * Google's partial-response `fields` parameter: `a,b/c,d(e,f),*`. `b/c` is shorthand for
 * `b(c)`; a name without a sub-selection returns its whole value; `*` selects every field at
 * its level. A selection inside an array applies to each element (`files(id,name)`).
 */
export interface FieldMask {
  all: boolean;
  /** `null`: the whole value of that field. */
  children: Map<string, FieldMask | null>;
}

type Level = FieldSchema | 'leaf' | 'open';

export function parseFieldMask(text: string, schema: FieldSchema): FieldMask {
  const parser = new FieldParser(text);
  const mask = parser.selection(schema);
  parser.expectEnd();
  return mask;
}

/** Keeps only the selected parts of a response value. */
export function applyFieldMask(value: unknown, mask: FieldMask | null): unknown {
  if (mask === null) return value;
  if (Array.isArray(value)) return value.map((item) => applyFieldMask(item, mask));
  if (value === null || typeof value !== 'object') return value;
  const projected: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const childMask = mask.children.get(key);
    if (childMask !== undefined) projected[key] = applyFieldMask(child, childMask);
    else if (mask.all) projected[key] = child;
  }
  return projected;
}

class FieldParser {
  readonly #text: string;
  #position = 0;

  constructor(text: string) {
    this.#text = text;
  }

  selection(level: Level): FieldMask {
    const mask: FieldMask = { all: false, children: new Map() };
    do {
      this.#item(level, mask);
    } while (this.#consume(','));
    return mask;
  }

  expectEnd(): void {
    this.#skipSpace();
    if (this.#position < this.#text.length) throw this.#error();
  }

  #item(level: Level, into: FieldMask): void {
    this.#skipSpace();
    if (this.#consume('*')) {
      into.all = true;
      return;
    }
    const name = this.#name();
    const childLevel = this.#childLevel(level, name);
    let child: FieldMask | null = null;
    if (this.#consume('/')) {
      if (childLevel === 'leaf') throw invalidFieldSelection(name);
      child = { all: false, children: new Map() };
      this.#item(childLevel, child);
    } else if (this.#consume('(')) {
      if (childLevel === 'leaf') throw invalidFieldSelection(name);
      child = this.selection(childLevel);
      if (!this.#consume(')')) throw this.#error();
    }
    merge(into, name, child);
  }

  #childLevel(level: Level, name: string): Level {
    if (level === 'open') return 'open';
    if (level === 'leaf') throw invalidFieldSelection(name);
    const child = level.fields[name];
    if (child === undefined) throw invalidFieldSelection(name);
    return child;
  }

  #name(): string {
    this.#skipSpace();
    const match = /^[A-Za-z0-9_]+/.exec(this.#text.slice(this.#position));
    if (!match) throw this.#error();
    this.#position += match[0].length;
    this.#skipSpace();
    return match[0];
  }

  #consume(character: string): boolean {
    this.#skipSpace();
    if (this.#text[this.#position] !== character) return false;
    this.#position += 1;
    return true;
  }

  #skipSpace(): void {
    while (this.#text[this.#position] === ' ') this.#position += 1;
  }

  #error() {
    return invalidFieldSelection(this.#text.slice(this.#position) || this.#text);
  }
}

function merge(into: FieldMask, name: string, child: FieldMask | null): void {
  if (!into.children.has(name)) {
    into.children.set(name, child);
    return;
  }
  const existing = into.children.get(name) ?? null;
  if (existing === null || child === null) {
    into.children.set(name, null);
    return;
  }
  existing.all ||= child.all;
  for (const [key, grandchild] of child.children) merge(existing, key, grandchild);
}
