import { type Static, Type } from 'typebox';
import { Defaulted } from '../catalog/configured.js';
import { defineOperator, IN, OUT } from '../catalog/operator.js';
import { stateless } from '../catalog/state.js';
import type { Field } from '../schema/field.js';
import { FieldNameSchema } from '../schema/field.js';
import { checkDataPath, checkUniqueFields } from './checks.js';
import { DataPathSchema, ExpressionSchema, streamOf } from './common.js';

const PredictConfig = Type.Object(
  {
    model: DataPathSchema({
      title: 'Model file',
      description:
        'A JSON file in the data directory: a linear or logistic regression’s feature names, coefficients and intercept, as scikit-learn’s coef_, intercept_ and feature_names_in_ give them',
    }),
    features: Type.Optional(
      Type.Array(
        Type.Object(
          {
            name: Type.String({
              minLength: 1,
              maxLength: 255,
              title: 'Feature',
              description: 'A feature of the model, by its name there',
            }),
            expr: ExpressionSchema({
              title: 'Expression',
              description: 'Its value for each record, a number, e.g. amount / 100',
            }),
          },
          { additionalProperties: false },
        ),
        {
          maxItems: 1000,
          title: 'Features',
          description:
            'How each feature is computed from a record; a feature not listed is the input field of its name',
        },
      ),
    ),
    scoreField: Defaulted(
      {
        ...FieldNameSchema,
        title: 'Score field',
        description:
          'The field added with the score: the regression’s value, or the probability of class 1',
      },
      'score',
    ),
    classField: Defaulted(
      {
        ...FieldNameSchema,
        title: 'Class field',
        description:
          'The field added with a logistic model’s class, 0 or 1 (NULL for a linear model)',
      },
      'predicted',
    ),
    threshold: Defaulted(
      Type.Number({
        minimum: 0,
        maximum: 1,
        title: 'Threshold',
        description: 'A logistic model’s class is 1 when the score is at least this, else 0',
      }),
      0.5,
    ),
  },
  { additionalProperties: false },
);
export type PredictConfig = Static<typeof PredictConfig>;

/** A model as read from its file: z = intercept + Σ coef·x; logistic: score = 1 / (1 + e^−z). */
export interface RegressionModel {
  readonly type: 'linear' | 'logistic';
  readonly features: readonly string[];
  readonly coef: readonly number[];
  readonly intercept: number;
}

/** The most features a model file may have (a wider model is not what this step is for). */
const MAX_FEATURES = 10_000;

/**
 * A model file's text read as a model, or what is wrong with it, in the
 * words of the file: `{"type": "logistic", "feature_names": [...], "coef":
 * [[...]], "intercept": [...]}` (scikit-learn's shapes for a binary
 * classifier or a single-output regression; `features` for
 * `feature_names` also does).
 */
export function readModel(text: string): { model: RegressionModel } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problem: `it is not JSON (${(error as Error).message})` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { problem: 'it is not a JSON object' };
  const o = value as Record<string, unknown>;
  const type = o.type ?? o.model_type;
  if (type !== 'linear' && type !== 'logistic')
    return { problem: `"type" must be "linear" or "logistic", not ${JSON.stringify(type)}` };
  const names = o.feature_names ?? o.features;
  if (!Array.isArray(names) || names.length === 0 || !names.every((n) => typeof n === 'string'))
    return { problem: '"feature_names" must be a list of the features’ names' };
  if (names.length > MAX_FEATURES)
    return { problem: `it has ${names.length} features; at most ${MAX_FEATURES} are taken` };
  if (new Set(names).size !== names.length)
    return { problem: '"feature_names" names a feature twice' };
  let coef = o.coef;
  if (Array.isArray(coef) && coef.length === 1 && Array.isArray(coef[0])) coef = coef[0];
  if (Array.isArray(coef) && coef.some(Array.isArray))
    return {
      problem: `"coef" has ${(coef as unknown[]).length} rows: only a binary classifier or a single-output regression (one row) is taken`,
    };
  if (!Array.isArray(coef) || !coef.every((c) => typeof c === 'number' && Number.isFinite(c)))
    return { problem: '"coef" must be a list of numbers (or one such list)' };
  if (coef.length !== names.length)
    return {
      problem: `"coef" has ${coef.length} numbers but "feature_names" names ${names.length} features`,
    };
  let intercept = o.intercept ?? 0;
  if (Array.isArray(intercept) && intercept.length === 1) intercept = intercept[0];
  if (typeof intercept !== 'number' || !Number.isFinite(intercept))
    return { problem: '"intercept" must be a number (or a list of one)' };
  return {
    model: { type, features: names as string[], coef: coef as number[], intercept },
  };
}

export const transformPredict = defineOperator({
  kind: 'transform.predict',
  label: 'Predict',
  category: 'transform',
  description:
    'Scores each record with a linear or logistic regression model from a JSON file (as exported from scikit-learn), its features computed by expressions, and adds the score (and, for a logistic model, the class) as fields.',
  icon: 'brain',
  inputs: [IN],
  outputs: [OUT],
  config: PredictConfig,
  defaults: {
    model: 'models/fraud.json',
    scoreField: 'score',
    classField: 'predicted',
    threshold: 0.5,
  },
  parallel: {
    runs: 'per-record',
    carries: (config, field) =>
      field === config.scoreField || field === config.classField ? undefined : field,
  },
  state: stateless<PredictConfig>({
    model: 'free',
    features: 'free',
    scoreField: 'free',
    classField: 'free',
    threshold: 'free',
  }),
  infer({ config, inputs, expression, error }) {
    checkDataPath(config.model, (_path, code, message) => error('model', code, message));
    const input = inputs.in?.[0];
    let complete = true;
    (config.features ?? []).forEach((f, i) => {
      if (!input) return;
      const checked = expression(`features[${i}].expr`, f.expr, input.fields);
      if (!checked) complete = false;
      else if (checked.type !== 'long' && checked.type !== 'double' && checked.type !== 'null') {
        complete = false;
        error(
          `features[${i}].expr`,
          'config.predict-feature-type',
          `Feature '${f.name}' must be a number, but this expression is a ${checked.type}.`,
        );
      }
    });
    checkUniqueFields(
      (config.features ?? []).map((f) => ({ name: f.name, type: 'double' })),
      'features',
      error,
    );
    if (config.classField === config.scoreField)
      error('classField', 'config.duplicate-field', 'The class and the score need two fields.');
    if (!input || !complete) return undefined;
    // The class is added for a logistic model only, but the output is known before the file is read:
    // both fields are there, the class NULL for a linear model.
    const added: Field[] = [
      { name: config.scoreField, type: 'double' },
      { name: config.classField, type: 'long' },
    ];
    const fields = [...input.fields.filter((f) => !added.some((a) => a.name === f.name)), ...added];
    return { out: streamOf(fields, input.time, input.timeField) };
  },
});
