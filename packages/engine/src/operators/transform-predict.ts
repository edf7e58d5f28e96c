import { type RegressionModel, readModel, type transformPredict } from '@sluice/shared';
import type { Batch, Row } from '../batch.js';
import type { CompiledExpression } from '../expression/index.js';
import type { EnvironmentOf, Operator, OperatorContext } from '../operator.js';
import { compileChecked, reportBadValue } from './compile.js';

/** The largest model file read (a model of 10 000 features is about 200 KB). */
const MAX_MODEL_BYTES = 8 * 1024 * 1024;

/**
 * Adds a linear or logistic regression's score to each record (and a
 * logistic model's class), its features computed by expressions or taken
 * from fields of their names. The model file is read once, before the job's
 * sources start (`ready`); a file that is missing or malformed, or a feature
 * with nothing to compute it from, fails the job on this node saying which.
 * A record with a NULL feature goes to the error output, naming it.
 */
export function createPredict(env: EnvironmentOf<typeof transformPredict>): Operator {
  const { config } = env;
  const fields = env.inputs[0]?.[0]?.fields ?? [];
  const scoreField = config.scoreField;
  const classField = config.classField;
  let score: ((row: Row) => number) | undefined;
  let logistic = false;
  let featureNames: readonly string[] = [];
  let values: CompiledExpression[] = [];

  const ready = (async () => {
    const shown = env.dataDir.shown(config.model);
    const handle = await env.dataDir.openForReading(config.model);
    let text: string;
    try {
      const { size } = await handle.stat();
      if (size > MAX_MODEL_BYTES)
        throw new Error(
          `The model file '${shown}' is ${size} bytes; at most ${MAX_MODEL_BYTES} are read.`,
        );
      text = await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
    const read = readModel(text);
    if ('problem' in read)
      throw new Error(`The model file '${shown}' cannot be used: ${read.problem}.`);
    const model = read.model;
    const given = new Map((config.features ?? []).map((f) => [f.name, f.expr]));
    const unknown = [...given.keys()].filter((name) => !model.features.includes(name));
    if (unknown.length > 0)
      throw new Error(
        `Features ${unknown.map((n) => `'${n}'`).join(', ')} are not the model's (it has ${model.features.join(', ')}).`,
      );
    values = model.features.map((name) => {
      const expr = given.get(name);
      if (expr !== undefined) return compileChecked(expr, fields);
      const field = fields.find((f) => f.name === name);
      if (!field)
        throw new Error(
          `The model's feature '${name}' is not a field of the input (${fields.map((f) => f.name).join(', ')}): add it to Features with an expression.`,
        );
      if (field.type !== 'long' && field.type !== 'double')
        throw new Error(
          `The model's feature '${name}' is the input field of that name, a ${field.type}: a feature is a number (compute one in Features).`,
        );
      return compileChecked(name, fields);
    });
    featureNames = model.features;
    logistic = model.type === 'logistic';
    score = scorer(model, values);
  })();

  return {
    ready,
    process(batch: Batch, _input: number, context: OperatorContext) {
      const rows: Row[] = [];
      const times: number[] = [];
      for (let i = 0; i < batch.rows.length; i++) {
        const row = batch.rows[i]!;
        let z: number;
        try {
          z = score!(row);
        } catch (error) {
          if (error instanceof MissingFeature) {
            context.error(
              row,
              `Feature '${featureNames[error.index]}' is NULL: the model needs a number.`,
            );
            continue;
          }
          reportBadValue(error, row, context);
          continue;
        }
        const out: Row = { ...row };
        if (logistic) {
          out[scoreField] = z;
          out[classField] = z >= config.threshold ? 1 : 0;
        } else {
          out[scoreField] = z;
          out[classField] = null;
        }
        rows.push(out);
        times.push(batch.times[i]!);
      }
      context.emit({ rows, times });
    },
  };
}

class MissingFeature extends Error {
  constructor(readonly index: number) {
    super(`feature ${index} is NULL`);
  }
}

/** The model as a function of a record: its score, after its features are computed. */
function scorer(
  model: RegressionModel,
  values: readonly CompiledExpression[],
): (row: Row) => number {
  const { coef, intercept } = model;
  const logistic = model.type === 'logistic';
  return (row) => {
    let z = intercept;
    for (let j = 0; j < values.length; j++) {
      const x = values[j]!(row);
      if (x === null || x === undefined) throw new MissingFeature(j);
      z += coef[j]! * (x as number);
    }
    return logistic ? 1 / (1 + Math.exp(-z)) : z;
  };
}
