import { SECRET_SOURCES } from '@sluice/shared';
import type { OperatorEnvironment } from '../operator.js';

/**
 * The value of the secret a node names (its password), or why it cannot be
 * had: an error for the node's first use, so the job fails on the node, as
 * on any other problem of the connection. No name: no password.
 */
export function namedSecret(
  env: Pick<OperatorEnvironment, 'secret'>,
  name: string | undefined,
  who: string,
): { readonly value?: string; readonly unset?: Error } {
  if (name === undefined) return {};
  const value = env.secret?.(name);
  if (value !== undefined) return { value };
  return {
    unset: new Error(
      `${who}: the secret ${name} (its password) is not set: give it as ${SECRET_SOURCES}.`,
    ),
  };
}
