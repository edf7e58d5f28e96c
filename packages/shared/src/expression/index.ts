// The expression language: parsing, type checking, highlighting and the pure
// helpers (LIKE patterns, date formats) the engine shares with the checker.

export type {
  ArithmeticOperator,
  BinaryOperator,
  ComparisonOperator,
  Expr,
  ExpressionProblem,
  ExprNode,
  ExprType,
  SourceRange,
  TypedExpr,
  UnaryOperator,
} from './ast.js';
export type { CheckedExpression, CheckOptions } from './check.js';
export { checkExpression } from './check.js';
export type { DateFormat, DateFormatElement, DatePatternLetter } from './date-format.js';
export { formatWithDateFormat, parseDateFormat, parseWithDateFormat } from './date-format.js';
export type { TimestampPart } from './datetime.js';
export { formatSqlTimestamp, parseSqlTimestamp, timestampPart } from './datetime.js';
export type { FunctionInfo } from './functions.js';
export { EXPRESSION_FUNCTIONS } from './functions.js';
export { EXPRESSION_KEYWORDS } from './keywords.js';
export type { LikePart, LikePattern, LikePiece } from './like.js';
export { parseLikePattern } from './like.js';
export type { ParsedExpression } from './parser.js';
export { parseExpression } from './parser.js';
export type { ExpressionProblemCode } from './problem.js';
export {
  EXPRESSION_PROBLEM_CODES,
  MAX_EXPRESSION_DEPTH,
  MAX_EXPRESSION_LENGTH,
} from './problem.js';
export type { ExpressionToken } from './tokenize.js';
export { tokenizeExpression } from './tokenize.js';
