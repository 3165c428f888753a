import { currentTrace } from './context.js';

/**
 * Structured logging. Locally each line is one JSON object on stdout/stderr; in Azure the same
 * calls also go to Application Insights (see app-insights.ts). Secrets never reach a log: fields
 * whose names look secret are masked before anything is written.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

export type LogSink = (level: LogLevel, msg: string, fields: LogFields) => void;

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const secretKey = /pass(word)?|secret|token|authorization|cookie|private|key$/i;

export function redact(fields: LogFields): LogFields {
  const out: LogFields = {};
  for (const [k, v] of Object.entries(fields)) {
    if (secretKey.test(k) && k !== 'correlationId') out[k] = '[redacted]';
    else if (v instanceof Error) out[k] = { name: v.name, message: v.message, stack: v.stack };
    else out[k] = v;
  }
  return out;
}

export const consoleSink: LogSink = (level, msg, fields) => {
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields });
  if (level === 'error' || level === 'warn') process.stderr.write(line + '\n');
  else process.stdout.write(line + '\n');
};

export function createLogger(
  minLevel: LogLevel,
  sinks: LogSink[] = [consoleSink],
  base: LogFields = {},
): Logger {
  const write = (level: LogLevel, msg: string, fields?: LogFields) => {
    if (order[level] < order[minLevel]) return;
    const trace = currentTrace();
    const all = redact({
      ...(trace ? { traceId: trace.traceId, spanId: trace.spanId } : {}),
      ...base,
      ...fields,
    });
    for (const sink of sinks) sink(level, msg, all);
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    child: (fields) => createLogger(minLevel, sinks, { ...base, ...fields }),
  };
}

/** A logger that keeps what it is told, for tests that assert on logging. */
export function memoryLogger(): Logger & { lines: { level: LogLevel; msg: string; fields: LogFields }[] } {
  const lines: { level: LogLevel; msg: string; fields: LogFields }[] = [];
  const logger = createLogger('debug', [(level, msg, fields) => lines.push({ level, msg, fields })]);
  return Object.assign(logger, { lines });
}
