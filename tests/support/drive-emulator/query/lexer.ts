import { invalidValue } from '../google-errors';

/**
 * Tokens of Drive's search language (`q`). Strings are single-quoted with `\'` and `\\` as the
 * only escapes, as Google's "Search query terms and operators" page describes; anything else
 * is a 400 "Invalid Value" on `q`, as Drive answers.
 */
export type QueryToken =
  | { type: 'string'; value: string; position: number }
  | { type: 'word'; value: string; position: number }
  | { type: 'operator'; value: '=' | '!=' | '<' | '<=' | '>' | '>='; position: number }
  | { type: 'punctuation'; value: '(' | ')' | '{' | '}'; position: number };

export function tokenizeQuery(text: string): QueryToken[] {
  const tokens: QueryToken[] = [];
  let position = 0;
  while (position < text.length) {
    const character = text[position] as string;
    if (/\s/.test(character)) {
      position += 1;
    } else if (character === "'") {
      const { value, end } = readString(text, position);
      tokens.push({ type: 'string', value, position });
      position = end;
    } else if ('(){}'.includes(character)) {
      tokens.push({ type: 'punctuation', value: character as '(' | ')' | '{' | '}', position });
      position += 1;
    } else if ('=!<>'.includes(character)) {
      const two = text.slice(position, position + 2);
      if (two === '!=' || two === '<=' || two === '>=') {
        tokens.push({ type: 'operator', value: two, position });
        position += 2;
      } else if (character === '!') {
        throw invalidQuery();
      } else {
        tokens.push({ type: 'operator', value: character as '=' | '<' | '>', position });
        position += 1;
      }
    } else {
      const match = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(position));
      if (!match) throw invalidQuery();
      tokens.push({ type: 'word', value: match[0], position });
      position += match[0].length;
    }
  }
  return tokens;
}

function readString(text: string, start: number): { value: string; end: number } {
  let value = '';
  let position = start + 1;
  while (position < text.length) {
    const character = text[position] as string;
    if (character === "'") return { value, end: position + 1 };
    if (character === '\\') {
      const next = text[position + 1];
      if (next !== "'" && next !== '\\') throw invalidQuery();
      value += next;
      position += 2;
    } else {
      value += character;
      position += 1;
    }
  }
  throw invalidQuery();
}

export function invalidQuery() {
  return invalidValue('q');
}
