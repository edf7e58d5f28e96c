// Config pieces that the Kafka source and sink share.
import { Type } from 'typebox';
import { Defaulted } from '../catalog/configured.js';

/** `host:port`, comma-separated: where the client first connects to the cluster. */
export const BOOTSTRAP_SERVERS_PATTERN =
  '^\\s*[A-Za-z0-9.\\-\\[\\]:]+:\\d{1,5}(\\s*,\\s*[A-Za-z0-9.\\-\\[\\]:]+:\\d{1,5})*\\s*$';
export const MAX_BOOTSTRAP_SERVERS_LENGTH = 2000;

export const BootstrapServersSchema = Type.String({
  minLength: 1,
  maxLength: MAX_BOOTSTRAP_SERVERS_LENGTH,
  pattern: BOOTSTRAP_SERVERS_PATTERN,
  title: 'Bootstrap servers',
  description: 'host:port of one or more brokers, comma-separated, such as localhost:9092',
  default: 'localhost:9092',
});

/**
 * Kafka's own rule for topic names. `x-sluice-widget: 'kafka-topic'` lets the
 * form offer the cluster's topics (of the config's `bootstrapServers`) and
 * sample one to fill the schema.
 */
export function TopicSchema(options: {
  title: string;
  description: string;
  'x-sluice-widget'?: 'kafka-topic';
}) {
  return Type.String({ pattern: '^[A-Za-z0-9._-]{1,249}$', ...options });
}

export const KafkaCsvOptionsSchema = Type.Object(
  {
    delimiter: Defaulted(Type.String({ minLength: 1, maxLength: 1, title: 'Delimiter' }), ','),
  },
  {
    additionalProperties: false,
    title: 'CSV options',
    description: 'Each message is one CSV line, columns in the order of the fields (no header)',
    'x-sluice-shown-when': { format: 'csv' },
  },
);

/** The bootstrap servers of a config as a list. */
export function bootstrapList(servers: string): string[] {
  return servers
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
