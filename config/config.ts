import { resolve } from 'node:path';
import { z } from 'zod';

const port = z.coerce.number().int().min(1).max(65535);
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** Every setting comes from the environment, checked once at start-up. */
export const ConfigSchema = z
  .object({
    DATA_DIR: z.string().min(1).default('data'),
    /** Empty: run the embedded Temporal dev server. Set: connect to that server (host:port). */
    TEMPORAL_ADDRESS: z
      .string()
      .regex(/^[^:\s]+:\d+$/, 'must be host:port')
      .optional(),
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    TEMPORAL_TLS: bool.default(false),
    TEMPORAL_TLS_CERT: z.string().optional(),
    TEMPORAL_TLS_KEY: z.string().optional(),
    TEMPORAL_PORT: port.default(7233),
    TEMPORAL_UI_PORT: port.default(8233),
    TASK_QUEUE: z.string().min(1).default('cases'),
    API_HOST: z.string().min(1).default('127.0.0.1'),
    API_PORT: port.default(3000),
    /** `id:base64key,…` (first is current). Unset in the embedded default: keys live in the data folder. */
    ENCRYPTION_KEYS: z.string().optional(),
    LINK_KEY: z.string().optional(),
    WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(10).default(500),
    DEFAULT_TEAM: z.string().min(1).default('bucks-reconnect'),
    /** The Temporal Web UI origin allowed to call the codec endpoints. */
    CODEC_CORS_ORIGIN: z.url().optional(),
    /** `outbox` writes messages to the data folder; `smtp` also e-mails them. */
    NOTIFIER: z.enum(['outbox', 'smtp']).default('outbox'),
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, 'must start smtp:// or smtps://')
      .optional(),
    SMTP_FROM: z.string().min(3).default('reconnect-cases@localhost'),
    STAFF_EMAIL_DOMAIN: z.string().min(1).default('localhost'),
    /** Start the worker and/or the API in this process. */
    RUN_WORKER: bool.default(true),
    RUN_API: bool.default(true),
  })
  .refine((c) => c.NOTIFIER !== 'smtp' || !!c.SMTP_URL, {
    message: 'NOTIFIER=smtp needs SMTP_URL',
    path: ['SMTP_URL'],
  })
  .refine((c) => !c.ENCRYPTION_KEYS === !c.LINK_KEY, {
    message: 'ENCRYPTION_KEYS and LINK_KEY are set together',
    path: ['LINK_KEY'],
  });

export type Config = z.infer<typeof ConfigSchema> & { dataDir: string };

export class ConfigError extends Error {}

/** Reads the environment; a bad value names its variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const known = Object.fromEntries(
    Object.keys(ConfigSchema.shape).map((k) => [k, env[k] === '' ? undefined : env[k]]),
  );
  const parsed = ConfigSchema.safeParse(known);
  if (!parsed.success) {
    throw new ConfigError(
      'Invalid configuration:\n' +
        parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n'),
    );
  }
  return { ...parsed.data, dataDir: resolve(parsed.data.DATA_DIR) };
}
