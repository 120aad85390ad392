/**
 * Structured logs: one JSON object per line (pino) on standard error, for the long-running and
 * operator-facing commands (`sitrep worker`, `sitrep ingest` with a queue, `sitrep watch`, and
 * whatever serves). The level comes from `--log-level`, else `SITREP_LOG_LEVEL`, else the command's
 * default; `silent` turns logging off. A level that is not one of pino's is an InputError naming
 * where it came from.
 *
 * ```ts
 * const log = createLogger('worker', { level: opts.logLevel });
 * log.info({ job: job.id, article: id, ms }, 'job done');
 * ```
 *
 * pino writes synchronously to file descriptor 2 (no worker thread), so that a line logged just
 * before `process.exit` is not lost. A Fastify server can be handed the same logger (`loggerInstance`).
 */
import { pino, type Logger } from 'pino';
import { InputError } from '../core/types.js';

export type { Logger } from 'pino';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * The level to log at: `flag` (from `--log-level`), else `SITREP_LOG_LEVEL`, else `fallback`.
 * Throws InputError for an unknown level.
 */
export function resolveLogLevel(flag: string | undefined, fallback: LogLevel = 'info', env: NodeJS.ProcessEnv = process.env): LogLevel {
  const fromEnv = env['SITREP_LOG_LEVEL']?.trim();
  const [value, where] = flag !== undefined ? [flag.trim(), '--log-level'] : fromEnv ? [fromEnv, 'SITREP_LOG_LEVEL'] : [fallback, 'the default level'];
  const level = value.toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new InputError(where, `must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return level as LogLevel;
}

export interface LoggerOptions {
  /** As from `resolveLogLevel`; default `resolveLogLevel(undefined)`. */
  level?: LogLevel;
  /** Fields on every line (e.g. `{ worker: 'host-1:1234' }`). */
  base?: Record<string, unknown>;
  /** Where lines go: a file descriptor (default 2, standard error). */
  fd?: number;
}

/** A logger for one component (`component` is on every line). */
export function createLogger(component: string, opts: LoggerOptions = {}): Logger {
  const level = opts.level ?? resolveLogLevel(undefined);
  return pino(
    {
      level,
      base: { pid: process.pid, component, ...(opts.base ?? {}) },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    pino.destination({ fd: opts.fd ?? 2, sync: true }),
  );
}

/** A logger that writes nothing (for library calls that were given none). */
export const silentLogger: Logger = pino({ level: 'silent' });
