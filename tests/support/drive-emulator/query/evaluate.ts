import type { FileRecord } from '../file-record';
import type { Comparison, QueryNode } from './parser';

export interface QueryContext {
  /** Turns 'root' / 'appDataFolder' into real ids; other ids pass through. */
  resolveId(id: string): string;
  clientId: string;
  accountEmail: string;
}

/** Whether a file matches a parsed `q`. */
export function matchesQuery(node: QueryNode, record: FileRecord, context: QueryContext): boolean {
  switch (node.type) {
    case 'and':
      return matchesQuery(node.left, record, context) && matchesQuery(node.right, record, context);
    case 'or':
      return matchesQuery(node.left, record, context) || matchesQuery(node.right, record, context);
    case 'not':
      return !matchesQuery(node.operand, record, context);
    case 'text':
      return matchesText(node.field, node.comparison, node.value, record);
    case 'time': {
      const value = node.field === 'createdTime' ? record.createdTime : record.modifiedTime;
      // Nothing is ever shared with the single emulated user, so sharedWithMeTime never matches.
      if (node.field === 'sharedWithMeTime') return false;
      return compare(value, node.comparison, node.value);
    }
    case 'flag': {
      const value = node.field === 'sharedWithMe' ? false : record[node.field];
      return node.comparison === '=' ? value === node.value : value !== node.value;
    }
    case 'in':
      if (node.collection === 'parents') return record.parents.includes(context.resolveId(node.value));
      // The emulated user owns every file; 'me' or their address names them.
      return node.value === 'me' || node.value.toLowerCase() === context.accountEmail.toLowerCase();
    case 'has': {
      const map =
        node.collection === 'properties' ? record.properties : record.appProperties[context.clientId];
      return map !== undefined && Object.hasOwn(map, node.key) && map[node.key] === node.value;
    }
  }
}

function matchesText(field: string, comparison: Comparison, value: string, record: FileRecord): boolean {
  switch (field) {
    case 'name':
      if (comparison === 'contains') return nameContains(record.name, value);
      return comparison === '=' ? record.name === value : record.name !== value;
    case 'mimeType':
      if (comparison === 'contains') return record.mimeType.toLowerCase().includes(value.toLowerCase());
      return comparison === '=' ? record.mimeType === value : record.mimeType !== value;
    case 'fullText':
      return fullTextContains(`${record.name} ${record.description ?? ''}`, value);
    default:
      // visibility: a file only its owner can open is 'limited'.
      return comparison === '=' ? value === 'limited' : value !== 'limited';
  }
}

/**
 * Drive's `name contains` is not a substring test: the name is split into alphanumeric tokens,
 * case is ignored, and every word of the query must be a prefix of some token
 * ("HelloWorld" matches 'Hello' but not 'World'; "hello_world" matches 'world').
 */
function nameContains(name: string, query: string): boolean {
  const nameTokens = tokens(name);
  return tokens(query).every((word) => nameTokens.some((token) => token.startsWith(word)));
}

/** `fullText contains` matches whole tokens; a double-quoted query is a phrase of consecutive tokens. */
function fullTextContains(text: string, query: string): boolean {
  const textTokens = tokens(text);
  const phrase = /^"(.*)"$/s.exec(query.trim());
  if (phrase) {
    const words = tokens(phrase[1] as string);
    if (words.length === 0) return false;
    return textTokens.some((_, start) => words.every((word, offset) => textTokens[start + offset] === word));
  }
  return tokens(query).every((word) => textTokens.includes(word));
}

function tokens(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((token) => token.length > 0);
}

function compare(actual: number, comparison: Comparison, expected: number): boolean {
  switch (comparison) {
    case '<':
      return actual < expected;
    case '<=':
      return actual <= expected;
    case '>':
      return actual > expected;
    case '>=':
      return actual >= expected;
    case '!=':
      return actual !== expected;
    default:
      return actual === expected;
  }
}
