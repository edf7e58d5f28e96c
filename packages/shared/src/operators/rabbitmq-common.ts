// Config pieces that the RabbitMQ source and sink share: where the broker is.
import { Type } from 'typebox';
import { Defaulted } from '../catalog/configured.js';
import { DurationSchema } from '../schema/duration.js';
import { SecretNameSchema } from './common.js';

/** AMQP names (queues, exchanges, routing keys): at most 255 bytes, no control characters. */
export const AMQP_NAME_PATTERN = '^[^\\u0000-\\u001f]{1,255}$';

export function AmqpNameSchema(options: { title: string; description: string }) {
  return Type.String({ pattern: AMQP_NAME_PATTERN, ...options });
}

export const rabbitConnection = {
  host: Type.String({
    minLength: 1,
    maxLength: 253,
    title: 'Host',
    description: 'The RabbitMQ broker’s host name or address',
  }),
  port: Defaulted(
    Type.Integer({ minimum: 1, maximum: 65535, title: 'Port', description: 'Its AMQP port' }),
    5672,
  ),
  vhost: Defaulted(
    Type.String({
      minLength: 1,
      maxLength: 255,
      title: 'Virtual host',
      description: 'The broker’s virtual host',
    }),
    '/',
  ),
  user: Type.String({
    minLength: 1,
    maxLength: 255,
    title: 'User',
    description: 'The user to connect as',
  }),
  passwordSecret: Type.Optional(
    SecretNameSchema({ title: 'Password secret', description: 'The user’s password' }),
  ),
  unreachableTimeout: Defaulted(
    DurationSchema({
      title: 'Unreachable timeout',
      description:
        'How long it keeps reconnecting while the broker cannot be reached before the job fails',
    }),
    '2m',
  ),
};
