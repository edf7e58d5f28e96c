import { describe, expect, it } from 'vitest';
import { samplePipeline, testCatalog } from '../testing/fixtures.js';
import { connectionProblem, reaches } from './connection.js';

const catalog = testCatalog();
const ends = (source: string, target: string, sourcePort = 'out', targetPort = 'in') => ({
  source,
  sourcePort,
  target,
  targetPort,
});

describe('connectionProblem', () => {
  const doc = samplePipeline();

  it('accepts an output into a free input', () => {
    expect(connectionProblem(doc, catalog, ends('gen', 'all'))).toBeUndefined();
  });

  it('accepts several edges into a union, which takes many', () => {
    const withOne = { ...doc, edges: [...doc.edges, { id: 'e3', source: 'gen', target: 'all' }] };
    expect(connectionProblem(withOne, catalog, ends('big', 'all'))).toBeUndefined();
  });

  it('refuses a second edge into a single input', () => {
    expect(connectionProblem(doc, catalog, ends('all', 'out'))).toMatch(/already has a connection/);
  });

  it('refuses connecting the same ports twice', () => {
    expect(connectionProblem(doc, catalog, ends('gen', 'big'))).toMatch(/already connected/);
  });

  it('refuses a loop and a self-loop', () => {
    const doc2 = { ...doc, edges: [...doc.edges, { id: 'e3', source: 'big', target: 'all' }] };
    expect(connectionProblem(doc2, catalog, ends('all', 'big'))).toBeDefined();
    const free = { ...doc, edges: [{ id: 'e1', source: 'big', target: 'all' }] };
    expect(connectionProblem(free, catalog, ends('all', 'big'))).toMatch(/loop/);
    expect(connectionProblem(doc, catalog, ends('all', 'all'))).toMatch(/itself/);
  });

  it('refuses ports a kind does not have: into a source, out of a sink', () => {
    expect(connectionProblem(doc, catalog, ends('big', 'gen'))).toMatch(/no input/);
    expect(connectionProblem(doc, catalog, ends('out', 'all'))).toMatch(/no output/);
    expect(connectionProblem(doc, catalog, ends('gen', 'all', 'late'))).toMatch(
      /no output named late/,
    );
  });

  it('knows named ports: a window’s late output and a join’s left and right', () => {
    const d = {
      ...doc,
      nodes: [
        ...doc.nodes,
        { id: 'w', kind: 'window.aggregate', config: {} },
        { id: 'j', kind: 'join.window', config: {} },
      ],
    };
    expect(connectionProblem(d, catalog, ends('w', 'all', 'late'))).toBeUndefined();
    expect(connectionProblem(d, catalog, ends('gen', 'j', 'out', 'left'))).toBeUndefined();
    expect(connectionProblem(d, catalog, ends('gen', 'j', 'out', 'in'))).toMatch(
      /no input named in/,
    );
  });
});

describe('reaches', () => {
  it('follows edges downstream only', () => {
    const doc = samplePipeline();
    expect(reaches(doc, 'gen', 'out')).toBe(true);
    expect(reaches(doc, 'out', 'gen')).toBe(false);
  });
});
