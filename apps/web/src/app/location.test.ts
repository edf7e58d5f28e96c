import { describe, expect, it } from 'vitest';
import { HOME, historyStep, parsePlace, placeUrl } from './location.js';

const JOB = '0f6c2d3e-1111-4222-8333-944445555666';

describe('the address of a place', () => {
  it('reads `/` as the latest pipeline', () => {
    expect(parsePlace('/', '')).toEqual(HOME);
    expect(parsePlace('/', '?job=x')).toEqual(HOME);
  });

  it('reads a pipeline’s address, with a job shown live or without', () => {
    expect(parsePlace('/p/Ab3_x-9', '')).toEqual({
      pipelineId: 'Ab3_x-9',
      jobId: null,
      malformed: false,
    });
    expect(parsePlace('/p/Ab3_x-9/', `?job=${JOB}`)).toEqual({
      pipelineId: 'Ab3_x-9',
      jobId: JOB,
      malformed: false,
    });
    expect(parsePlace('/p/Ab3', `?x=1&job=${JOB}`).jobId).toBe(JOB);
  });

  it('ignores a job parameter that cannot be a job id', () => {
    expect(parsePlace('/p/Ab3', '?job=').jobId).toBeNull();
    expect(parsePlace('/p/Ab3', '?job=a%20b').jobId).toBeNull();
    expect(parsePlace('/p/Ab3', `?job=${'j'.repeat(101)}`).jobId).toBeNull();
  });

  it('calls an address malformed rather than guessing what it names', () => {
    for (const path of [
      '/p',
      '/p/',
      '/p/a/b',
      '/p/%E0%A4%A',
      '/p/a%20b',
      `/p/${'x'.repeat(65)}`,
      '/pipelines/a',
    ]) {
      expect(parsePlace(path, ''), path).toEqual({ ...HOME, malformed: true });
    }
  });

  it('writes the address back, and reads what it wrote', () => {
    expect(placeUrl(HOME)).toBe('/');
    expect(placeUrl({ pipelineId: 'Ab3', jobId: null })).toBe('/p/Ab3');
    expect(placeUrl({ pipelineId: 'Ab3', jobId: JOB })).toBe(`/p/Ab3?job=${JOB}`);
    const url = new URL(placeUrl({ pipelineId: 'a-b_c', jobId: JOB }), 'http://x');
    expect(parsePlace(url.pathname, url.search)).toEqual({
      pipelineId: 'a-b_c',
      jobId: JOB,
      malformed: false,
    });
  });
});

describe('how the history follows', () => {
  const at = (pipelineId: string | null, jobId: string | null = null) => ({
    pipelineId,
    jobId,
    malformed: false,
  });

  it('makes another pipeline a new entry, so Back returns to the one before', () => {
    expect(historyStep(at('a'), at('b'))).toBe('push');
    expect(historyStep(at('a', JOB), at('b'))).toBe('push');
  });

  it('replaces the entry for a job shown or left, a first save, `/` and a deletion', () => {
    expect(historyStep(at('a'), at('a', JOB))).toBe('replace');
    expect(historyStep(at('a', JOB), at('a'))).toBe('replace');
    expect(historyStep(at(null), at('a'))).toBe('replace');
    expect(historyStep(at('a'), at(null))).toBe('replace');
  });

  it('does nothing when the address is already there', () => {
    expect(historyStep(at('a'), at('a'))).toBe('none');
    expect(historyStep(at('a', JOB), at('a', JOB))).toBe('none');
  });
});
