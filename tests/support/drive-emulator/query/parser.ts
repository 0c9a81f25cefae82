import { invalidQuery, type QueryToken, tokenizeQuery } from './lexer';

/**
 * Parses Drive's `q` into a tree. Grammar (precedence: not > and > or; keywords lower case):
 *
 *   query   := or
 *   or      := and ('or' and)*
 *   and     := unary ('and' unary)*
 *   unary   := 'not' unary | '(' or ')' | term
 *   term    := field operator value            e.g. name = 'a', trashed = false
 *            | string 'in' collection          e.g. 'root' in parents
 *            | field 'has' '{' 'key' '=' string 'and' 'value' '=' string '}'
 *
 * Each field accepts only the operators and value types Google's reference table lists for it.
 */

export type Comparison = 'contains' | '=' | '!=' | '<' | '<=' | '>' | '>=';

export type QueryNode =
  | { type: 'and' | 'or'; left: QueryNode; right: QueryNode }
  | { type: 'not'; operand: QueryNode }
  | { type: 'text'; field: TextField; comparison: Comparison; value: string }
  | { type: 'time'; field: TimeField; comparison: Comparison; value: number }
  | { type: 'flag'; field: FlagField; comparison: Comparison; value: boolean }
  | { type: 'in'; value: string; collection: Collection }
  | { type: 'has'; collection: 'appProperties' | 'properties'; key: string; value: string };

export type TextField = 'name' | 'fullText' | 'mimeType' | 'visibility';
export type TimeField = 'modifiedTime' | 'createdTime' | 'viewedByMeTime' | 'sharedWithMeTime';
export type FlagField = 'trashed' | 'starred' | 'sharedWithMe';
type Collection = 'parents' | 'owners' | 'writers' | 'readers';

const ALL_COMPARISONS: readonly Comparison[] = ['<=', '<', '=', '!=', '>', '>='];

const TEXT_FIELDS: Readonly<Record<TextField, readonly Comparison[]>> = {
  name: ['contains', '=', '!='],
  fullText: ['contains'],
  mimeType: ['contains', '=', '!='],
  visibility: ['=', '!='],
};
const TIME_FIELDS: Readonly<Record<TimeField, readonly Comparison[]>> = {
  modifiedTime: ALL_COMPARISONS,
  createdTime: ALL_COMPARISONS,
  viewedByMeTime: ALL_COMPARISONS,
  sharedWithMeTime: ALL_COMPARISONS,
};
const FLAG_FIELDS: Readonly<Record<FlagField, readonly Comparison[]>> = {
  trashed: ['=', '!='],
  starred: ['=', '!='],
  sharedWithMe: ['=', '!='],
};
const COLLECTIONS: readonly Collection[] = ['parents', 'owners', 'writers', 'readers'];

// RFC 3339 date-time; Drive reads a missing offset as UTC.
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;

export function parseQuery(text: string): QueryNode {
  const parser = new QueryParser(tokenizeQuery(text));
  return parser.parse();
}

class QueryParser {
  readonly #tokens: QueryToken[];
  #index = 0;

  constructor(tokens: QueryToken[]) {
    this.#tokens = tokens;
  }

  parse(): QueryNode {
    if (this.#tokens.length === 0) throw invalidQuery();
    const node = this.#or();
    if (this.#index !== this.#tokens.length) throw invalidQuery();
    return node;
  }

  #or(): QueryNode {
    let node = this.#and();
    while (this.#acceptWord('or')) node = { type: 'or', left: node, right: this.#and() };
    return node;
  }

  #and(): QueryNode {
    let node = this.#unary();
    while (this.#acceptWord('and')) node = { type: 'and', left: node, right: this.#unary() };
    return node;
  }

  #unary(): QueryNode {
    if (this.#acceptWord('not')) return { type: 'not', operand: this.#unary() };
    if (this.#acceptPunctuation('(')) {
      const node = this.#or();
      this.#expectPunctuation(')');
      return node;
    }
    return this.#term();
  }

  #term(): QueryNode {
    const first = this.#next();
    if (first.type === 'string') {
      this.#expectWord('in');
      const collection = this.#next();
      if (collection.type !== 'word' || !COLLECTIONS.includes(collection.value as Collection))
        throw invalidQuery();
      return { type: 'in', value: first.value, collection: collection.value as Collection };
    }
    if (first.type !== 'word') throw invalidQuery();
    const field = first.value;
    if (field === 'appProperties' || field === 'properties') return this.#has(field);
    const comparison = this.#comparison();
    if (Object.hasOwn(TEXT_FIELDS, field)) {
      requireComparison(TEXT_FIELDS[field as TextField], comparison);
      return { type: 'text', field: field as TextField, comparison, value: this.#string() };
    }
    if (Object.hasOwn(TIME_FIELDS, field)) {
      requireComparison(TIME_FIELDS[field as TimeField], comparison);
      return { type: 'time', field: field as TimeField, comparison, value: parseTime(this.#string()) };
    }
    if (Object.hasOwn(FLAG_FIELDS, field)) {
      requireComparison(FLAG_FIELDS[field as FlagField], comparison);
      return { type: 'flag', field: field as FlagField, comparison, value: this.#boolean() };
    }
    throw invalidQuery();
  }

  #has(collection: 'appProperties' | 'properties'): QueryNode {
    this.#expectWord('has');
    this.#expectPunctuation('{');
    this.#expectWord('key');
    this.#expectOperator('=');
    const key = this.#string();
    this.#expectWord('and');
    this.#expectWord('value');
    this.#expectOperator('=');
    const value = this.#string();
    this.#expectPunctuation('}');
    return { type: 'has', collection, key, value };
  }

  #comparison(): Comparison {
    const token = this.#next();
    if (token.type === 'operator') return token.value;
    if (token.type === 'word' && token.value === 'contains') return 'contains';
    throw invalidQuery();
  }

  #string(): string {
    const token = this.#next();
    if (token.type !== 'string') throw invalidQuery();
    return token.value;
  }

  #boolean(): boolean {
    const token = this.#next();
    if (token.type === 'word' && (token.value === 'true' || token.value === 'false'))
      return token.value === 'true';
    throw invalidQuery();
  }

  #next(): QueryToken {
    const token = this.#tokens[this.#index];
    if (!token) throw invalidQuery();
    this.#index += 1;
    return token;
  }

  #acceptWord(word: string): boolean {
    const token = this.#tokens[this.#index];
    if (token?.type !== 'word' || token.value !== word) return false;
    this.#index += 1;
    return true;
  }

  #acceptPunctuation(value: string): boolean {
    const token = this.#tokens[this.#index];
    if (token?.type !== 'punctuation' || token.value !== value) return false;
    this.#index += 1;
    return true;
  }

  #expectWord(word: string): void {
    if (!this.#acceptWord(word)) throw invalidQuery();
  }

  #expectPunctuation(value: string): void {
    if (!this.#acceptPunctuation(value)) throw invalidQuery();
  }

  #expectOperator(value: string): void {
    const token = this.#next();
    if (token.type !== 'operator' || token.value !== value) throw invalidQuery();
  }
}

function requireComparison(allowed: readonly Comparison[], comparison: Comparison): void {
  if (!allowed.includes(comparison)) throw invalidQuery();
}

function parseTime(text: string): number {
  const match = RFC3339.exec(text);
  if (!match) throw invalidQuery();
  const zone = match[8] ?? 'Z';
  const time =
    match[4] === undefined ? 'T00:00:00' : `T${match[4]}:${match[5]}:${match[6] ?? '00'}${match[7] ?? ''}`;
  const milliseconds = Date.parse(`${match[1]}-${match[2]}-${match[3]}${time}${zone}`);
  if (Number.isNaN(milliseconds)) throw invalidQuery();
  return milliseconds;
}
