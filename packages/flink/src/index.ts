export type { CompileOptions, FlinkCompilation } from './compile.js';
export { compileToFlinkSql, HIDDEN_TIME } from './compile.js';
