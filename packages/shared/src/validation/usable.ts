// What validation reasons about: the nodes and connections with enough shape
// to check, and the words of its findings.
import type { OperatorDefinition } from '../catalog/operator.js';
import type { Diagnostic } from './diagnostic.js';

export interface UsableNode {
  readonly index: number;
  readonly id: string;
  readonly kind: string;
  readonly config: Record<string, unknown>;
  readonly operator?: OperatorDefinition;
  configValid: boolean;
}

export interface UsableEdge {
  readonly index: number;
  readonly id: string;
  readonly source: string;
  readonly target: string;
  readonly sourcePort: string;
  readonly targetPort: string;
}

export function error(code: string, message: string): Diagnostic {
  return { severity: 'error', code, message };
}

export function warning(code: string, message: string): Diagnostic {
  return { severity: 'warning', code, message };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
