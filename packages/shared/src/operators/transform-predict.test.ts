import { describe, expect, it } from 'vitest';
import { readModel } from './transform-predict.js';

const problem = (value: unknown) => {
  const read = readModel(typeof value === 'string' ? value : JSON.stringify(value));
  return 'problem' in read ? read.problem : undefined;
};

describe('readModel', () => {
  it('reads scikit-learn’s shapes: coef_ as one row or flat, intercept_ as a list of one or a number', () => {
    const wanted = { type: 'logistic', features: ['a', 'b'], coef: [0.5, -2], intercept: 0.25 };
    for (const file of [
      { type: 'logistic', feature_names: ['a', 'b'], coef: [[0.5, -2]], intercept: [0.25] },
      { type: 'logistic', features: ['a', 'b'], coef: [0.5, -2], intercept: 0.25 },
      { model_type: 'logistic', feature_names: ['a', 'b'], coef: [0.5, -2], intercept: 0.25 },
    ]) {
      expect(readModel(JSON.stringify(file))).toEqual({ model: wanted });
    }
    expect(readModel(JSON.stringify({ type: 'linear', features: ['x'], coef: [3] }))).toEqual({
      model: { type: 'linear', features: ['x'], coef: [3], intercept: 0 },
    });
  });

  it('says what is wrong with a file that is not such a model', () => {
    expect(problem('nope')).toMatch(/^it is not JSON/);
    expect(problem([1])).toBe('it is not a JSON object');
    expect(problem({ type: 'forest' })).toBe('"type" must be "linear" or "logistic", not "forest"');
    expect(problem({ type: 'linear', coef: [1] })).toMatch(/"feature_names" must be a list/);
    expect(problem({ type: 'linear', features: ['a', 'a'], coef: [1, 2] })).toMatch(/twice/);
    expect(problem({ type: 'logistic', features: ['a'], coef: [[1], [2], [3]] })).toMatch(
      /"coef" has 3 rows: only a binary classifier or a single-output regression/,
    );
    expect(problem({ type: 'linear', features: ['a'], coef: ['1'] })).toMatch(/list of numbers/);
    expect(problem({ type: 'linear', features: ['a', 'b'], coef: [1] })).toBe(
      '"coef" has 1 numbers but "feature_names" names 2 features',
    );
    expect(problem({ type: 'linear', features: ['a'], coef: [1], intercept: [1, 2] })).toMatch(
      /"intercept" must be a number/,
    );
  });
});
