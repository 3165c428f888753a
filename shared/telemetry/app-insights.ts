import type { LogSink } from './logger.js';

/**
 * Sends logs and exceptions to Application Insights when its connection string is set. The SDK is
 * imported only then, so local runs and tests never load it.
 */
export async function appInsightsSink(connectionString: string): Promise<LogSink> {
  const appInsights = await import('applicationinsights');
  appInsights.setup(connectionString).setAutoCollectConsole(false).start();
  const client = appInsights.defaultClient;
  return (level, msg, fields) => {
    const properties = Object.fromEntries(
      Object.entries(fields).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
    );
    const error = fields['error'];
    if (level === 'error' && error && typeof error === 'object' && 'message' in error) {
      client.trackException({
        exception: new Error(String(error.message)),
        properties: { msg, ...properties },
      });
      return;
    }
    const severity = { debug: 'Verbose', info: 'Information', warn: 'Warning', error: 'Error' }[level];
    client.trackTrace({ message: msg, severity, properties });
  };
}
