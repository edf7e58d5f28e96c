// Sluice's expressions written as Flink SQL. The language follows Flink SQL,
// so most of it is printed as it is; where Flink means something else by the
// same text (timestamps, % on negative numbers, FLOOR's type, TRIM's second
// argument) it is rewritten, and where no rewrite gives the same result it is
// refused with the reason.
import { checkExpression, type Field, type FieldType, type TypedExpr } from '@sluice/shared';
import { FLINK_TYPES, str } from './sql.js';

/** An expression Flink cannot compute the way Sluice does. */
export class Refusal extends Error {}

export interface PrintedExpression {
  readonly sql: string;
  readonly type: FieldType | 'null';
  /** Where Flink's result may differ from Sluice's, in words for the analyst. */
  readonly warnings: readonly string[];
}

/**
 * Checks `text` against `fields` and prints it as Flink SQL, each field read
 * as `column(name)` gives (a quoted column, or a qualified one in a join).
 * Throws a Refusal when it does not check or cannot be printed.
 */
export function printExpression(
  text: string,
  fields: readonly Field[],
  column: (name: string) => string,
): PrintedExpression {
  const checked = checkExpression(text, fields);
  if (!checked.expr || !checked.type) {
    throw new Refusal(
      `the expression ${str(text)} does not check: ${checked.problems.map((p) => p.message).join(' ')}`,
    );
  }
  const warnings: string[] = [];
  const sql = print(checked.expr, column, warnings);
  return { sql, type: checked.type, warnings };
}

/** Functions Flink has under the same name, with the same arguments and meaning. */
const SAME = new Set([
  'UPPER',
  'LOWER',
  'CHAR_LENGTH',
  'CHARACTER_LENGTH',
  'SUBSTRING',
  'SUBSTR',
  'CONCAT',
  'REPLACE',
  'SPLIT_INDEX',
  'LPAD',
  'RPAD',
  'LOCATE',
  'REGEXP',
  'REGEXP_EXTRACT',
  'REGEXP_REPLACE',
  'ABS',
  'MOD',
  'POWER',
  'SQRT',
  'TO_TIMESTAMP_LTZ',
  'COALESCE',
  'NULLIF',
  'IFNULL',
  'IF',
]);

const TIME_PARTS = new Set(['YEAR', 'MONTH', 'DAYOFMONTH', 'HOUR', 'MINUTE', 'SECOND']);

function print(node: TypedExpr, column: (name: string) => string, warnings: string[]): string {
  const p = (child: TypedExpr) => print(child, column, warnings);
  switch (node.kind) {
    case 'literal':
      return literal(node.value, node.valueType);
    case 'field':
      return column(node.name);
    case 'unary':
      if (node.op === '+') return p(node.operand);
      return node.op === 'NOT' ? `(NOT ${p(node.operand)})` : `(- ${p(node.operand)})`;
    case 'binary':
      // MOD is Flink's remainder with the dividend's sign, as Sluice's %.
      if (node.op === '%') return `MOD(${p(node.left)}, ${p(node.right)})`;
      return `(${p(node.left)} ${node.op} ${p(node.right)})`;
    case 'is':
      return `(${p(node.operand)} IS ${node.negated ? 'NOT ' : ''}${node.test.toUpperCase()})`;
    case 'between':
      return `(${p(node.operand)} ${node.negated ? 'NOT ' : ''}BETWEEN ${p(node.low)} AND ${p(node.high)})`;
    case 'in':
      return `(${p(node.operand)} ${node.negated ? 'NOT ' : ''}IN (${node.list.map(p).join(', ')}))`;
    case 'like':
      return `(${p(node.operand)} ${node.negated ? 'NOT ' : ''}LIKE ${p(node.pattern)}${node.escape ? ` ESCAPE ${p(node.escape)}` : ''})`;
    case 'case': {
      const parts = ['CASE'];
      if (node.subject) parts.push(p(node.subject));
      for (const b of node.branches) parts.push(`WHEN ${p(b.when)} THEN ${p(b.result)}`);
      if (node.otherwise) parts.push(`ELSE ${p(node.otherwise)}`);
      parts.push('END');
      return parts.join(' ');
    }
    case 'cast':
      return cast(node, p(node.operand), warnings);
    case 'call':
      return call(node, node.args.map(p), warnings);
  }
}

function literal(value: string | number | boolean | null, type: TypedExpr['type']): string {
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'string') return str(value);
  if (type === 'timestamp') return `TO_TIMESTAMP_LTZ(${value}, 3)`;
  if (type === 'double') {
    // 1.5 is a DECIMAL in Flink; 1.5E0 is the DOUBLE Sluice means.
    if (!Number.isFinite(value)) throw new Refusal(`the number ${value} has no literal in SQL`);
    const text = String(value).replace('e+', 'E').replace('e-', 'E-');
    return text.includes('E') ? text : `${text}E0`;
  }
  return String(value);
}

function cast(node: TypedExpr & { kind: 'cast' }, operand: string, warnings: string[]): string {
  const from = node.operand.type;
  const name = node.safe ? 'TRY_CAST' : 'CAST';
  if (node.target === 'timestamp' && from === 'string') {
    warnings.push(
      `${name}(text AS TIMESTAMP) on Flink reads 'yyyy-MM-dd HH:mm:ss[.SSS]' only (Sluice also reads ISO-8601 with T and Z)`,
    );
  }
  return `${name}(${operand} AS ${FLINK_TYPES[node.target]})`;
}

function call(node: TypedExpr & { kind: 'call' }, args: string[], warnings: string[]): string {
  const { name } = node;
  if (SAME.has(name)) return `${name}(${args.join(', ')})`;
  if (TIME_PARTS.has(name)) return `${name}(${asLocal(args[0]!)})`;
  switch (name) {
    case 'TRIM':
    case 'LTRIM':
    case 'RTRIM': {
      if (args.length === 1) return `${name}(${args[0]})`;
      const side = name === 'TRIM' ? 'BOTH' : name === 'LTRIM' ? 'LEADING' : 'TRAILING';
      return `TRIM(${side} ${args[1]} FROM ${args[0]})`;
    }
    case 'POSITION':
      return `POSITION(${args[0]} IN ${args[1]})`;
    case 'ROUND':
    case 'FLOOR':
    case 'CEIL':
    case 'CEILING':
      return `${name}(${args.join(', ')})`;
    case 'DATE_FORMAT':
      return `DATE_FORMAT(${asLocal(args[0]!)}, ${args[1]})`;
    case 'TO_TIMESTAMP':
      warnings.push(
        'TO_TIMESTAMP on Flink gives NULL for text that does not fit the format (Sluice fails the record), and reads the format exactly (Sluice also takes a fraction, T or a date alone)',
      );
      return `CAST(TO_TIMESTAMP(${args.join(', ')}) AS TIMESTAMP_LTZ(3))`;
    default:
      throw new Refusal(`the function ${name} has no counterpart in Flink SQL`);
  }
}

/** A TIMESTAMP_LTZ as the TIMESTAMP it shows in UTC (the session's zone), for the functions that take one. */
function asLocal(sql: string): string {
  return `CAST(${sql} AS TIMESTAMP(3))`;
}
