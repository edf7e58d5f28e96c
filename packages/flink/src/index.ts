export type { FlinkAddresses, FlinkJob, SubmitOptions, SubmitResult } from './client.js';
export { FlinkClient, FlinkError, firstLine } from './client.js';
export type { CompileOptions, FlinkCompilation } from './compile.js';
export { compileToFlinkSql, HIDDEN_TIME } from './compile.js';
export type { KafkaEdges } from './through-kafka.js';
export { throughKafka } from './through-kafka.js';
export type { Placement, Vertex } from './vertices.js';
export { mapVertices, metricName } from './vertices.js';
