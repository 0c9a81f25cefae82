/** Where in a JSON value a problem is: object member names and array indexes from the root. */
export type JsonPath = ReadonlyArray<string | number>;

export interface SchemaIssue {
  path: JsonPath;
  message: string;
}

/**
 * `invalid`: the value breaks the schema (see `issues`).
 * `unsupported-version`: a dataset of a version this reader does not know; refuse it rather than guess.
 * `not-a-dataset`: the value is not a ChatVault dataset at all (wrong or missing `format`).
 * `invalid-argument`: a caller passed something that is not even the right kind of argument.
 */
export type SchemaErrorCode = 'invalid' | 'unsupported-version' | 'not-a-dataset' | 'invalid-argument';

/** How many issues an error message spells out; the `issues` array keeps all of them. */
const ISSUES_IN_MESSAGE = 20;

export class SchemaError extends Error {
  override readonly name = 'SchemaError';
  readonly code: SchemaErrorCode;
  readonly issues: readonly SchemaIssue[];

  constructor(code: SchemaErrorCode, summary: string, issues: readonly SchemaIssue[] = []) {
    super(describe(summary, issues));
    this.code = code;
    this.issues = issues;
  }
}

export function isSchemaError(error: unknown, code?: SchemaErrorCode): error is SchemaError {
  return error instanceof SchemaError && (code === undefined || error.code === code);
}

/** `$.messages[3].media.filehash`: a JSONPath-style spelling for messages and logs. */
export function formatJsonPath(path: JsonPath): string {
  let text = '$';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(part)) text += `.${part}`;
    else text += `[${JSON.stringify(part)}]`;
  }
  return text;
}

function describe(summary: string, issues: readonly SchemaIssue[]): string {
  if (issues.length === 0) return summary;
  const shown = issues.slice(0, ISSUES_IN_MESSAGE).map((i) => `  ${formatJsonPath(i.path)}: ${i.message}`);
  const more = issues.length > ISSUES_IN_MESSAGE ? [`  … and ${issues.length - ISSUES_IN_MESSAGE} more`] : [];
  return [summary, ...shown, ...more].join('\n');
}
