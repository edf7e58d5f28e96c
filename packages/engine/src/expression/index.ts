// The expression compiler: type-checked expressions (from @sluice/shared) to closures.
export type { CompiledExpression } from './compile.js';
export { compileExpression } from './compile.js';
export type { ExpressionErrorCode } from './error.js';
export { ExpressionError } from './error.js';
