import type { z } from 'zod';

/**
 * zod's own English messages ("Invalid input: expected object, received undefined", "Too small:
 * expected number to be >=10") read as library text. Messages our schemas give are sentences
 * already and are kept; these are rewritten as the problem alone ("must be at least 10", "is
 * required"), for the caller to put the field's or setting's name before.
 */
type Issue = z.core.$ZodIssue;

const libraryText =
  /^(Invalid input|Invalid option|Invalid string|Invalid number|Invalid key|Invalid element|Invalid value|Invalid date|Invalid email|Invalid URL|Invalid UUID|Invalid GUID|Invalid ISO|Invalid|Too small|Too big|Unrecognized keys?)\b/;

export function isLibraryText(message: string): boolean {
  return libraryText.test(message);
}

const typeNames: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  bigint: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  tuple: 'a list',
  record: 'an object',
  date: 'a date',
  null: 'null',
  file: 'a file',
};

/** True when the value was absent (zod reports the input only when asked: the message says it too). */
function wasAbsent(issue: Issue): boolean {
  if ('input' in issue) return issue.input === undefined;
  return /received undefined$/.test(issue.message);
}

const plural = (n: number | bigint, one: string, many: string) => `${n} ${Number(n) === 1 ? one : many}`;

/** The problem, as a predicate: "is required", "must be a number", "must have at most 100 characters". */
export function problemOf(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (wasAbsent(issue) || issue.expected === 'nonoptional') return 'is required';
      return `must be ${typeNames[issue.expected] ?? issue.expected}`;
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const bound = small ? issue.minimum : issue.maximum;
      const inclusive = issue.inclusive !== false;
      const range = issue.exact ? 'exactly' : small ? 'at least' : 'at most';
      switch (issue.origin) {
        case 'string':
          return `must have ${range} ${plural(bound, 'character', 'characters')}`;
        case 'array':
        case 'set':
          return `must have ${range} ${plural(bound, 'item', 'items')}`;
        case 'file':
          return `must be ${range} ${plural(bound, 'byte', 'bytes')}`;
        case 'date':
          return `must be ${small ? 'on or after' : 'on or before'} ${new Date(Number(bound)).toISOString()}`;
        default:
          if (issue.exact) return `must be exactly ${bound}`;
          if (inclusive) return `must be ${small ? 'at least' : 'at most'} ${bound}`;
          return `must be ${small ? 'more' : 'less'} than ${bound}`;
      }
    }
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${String(issue.values[0])}`
        : `must be one of ${issue.values.map(String).join(', ')}`;
    case 'invalid_format':
      switch (issue.format) {
        case 'email':
          return 'must be an email address';
        case 'url':
          return 'must be an absolute URL';
        case 'uuid':
        case 'guid':
          return 'must be a UUID';
        case 'datetime':
          return 'must be a date and time (ISO 8601)';
        case 'date':
          return 'must be a date (YYYY-MM-DD)';
        case 'starts_with':
          return 'prefix' in issue
            ? `must start with "${String(issue.prefix)}"`
            : 'is not in the expected format';
        case 'ends_with':
          return 'suffix' in issue
            ? `must end with "${String(issue.suffix)}"`
            : 'is not in the expected format';
        case 'includes':
          return 'includes' in issue
            ? `must contain "${String(issue.includes)}"`
            : 'is not in the expected format';
        default:
          return 'is not in the expected format';
      }
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}`;
    case 'unrecognized_keys':
      return `has ${issue.keys.length === 1 ? 'an unknown field' : 'unknown fields'}: ${issue.keys.join(', ')}`;
    case 'invalid_key':
      return 'has a key that is not valid';
    case 'invalid_element':
      return 'has an item that is not valid';
    case 'invalid_union':
      return wasAbsent(issue) ? 'is required' : 'is not valid';
    default:
      return wasAbsent(issue) ? 'is required' : 'is not valid';
  }
}

/** A path as a reader writes it: `cartDetails[0].count`. */
export function readablePath(path: readonly PropertyKey[]): string {
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`))
    .join('');
}
