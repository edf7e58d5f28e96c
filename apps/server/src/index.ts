export type { CliIO } from './cli/main.js';
export { main } from './cli/main.js';
