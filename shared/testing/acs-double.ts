import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import https from 'node:https';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TokenCredential } from '@azure/identity';
import { generate } from 'selfsigned';
import { z } from 'zod';

/** One request the double received, as the SDK sent it. */
export interface RecordedAcsRequest {
  method: string;
  /** Without the query string. */
  path: string;
  apiVersion: string | null;
  /** Lower-case names. */
  headers: Record<string, string>;
  /** The JSON body (undefined for a GET). */
  body: unknown;
  /** How the request authenticated: 'hmac', 'bearer', or 'none' (then it was refused with 401). */
  auth: 'hmac' | 'bearer' | 'none';
  /** The status the double answered. */
  status: number;
}

/** An email ACS accepted (newest first in `AcsDouble.sent`). */
export interface AcceptedEmail {
  /** The operation id (the request's Operation-Id, or one the double made up). */
  id: string;
  sender: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

export type OperationOutcome = { status: 'Succeeded' } | { status: 'Failed' | 'Canceled'; message: string };

export interface AcsDouble {
  /** `https://127.0.0.1:<port>`: the resource endpoint (ACS_ENDPOINT). */
  readonly endpoint: string;
  /** `endpoint=…;accesskey=…` with the only key the double accepts (ACS_CONNECTION_STRING). */
  readonly connectionString: string;
  /** A token credential whose tokens the double accepts (stands in for managed identity). */
  readonly credential: TokenCredential & { scopes: string[][] };
  /** The self-signed certificate the double serves (PEM): trust it with `tlsOptions: { ca }`. */
  readonly ca: string;
  /** Every request received, oldest first. */
  readonly requests: RecordedAcsRequest[];
  /** Every email accepted, newest first: a repeated Operation-Id is not a new email. */
  readonly sent: AcceptedEmail[];
  /** How the next new operations end (default: Succeeded after one poll that says Running). */
  nextOutcomes(...outcomes: OperationOutcome[]): void;
  close(): Promise<void>;
}

const API_VERSION = '2025-09-01';

/** The send request body, as the REST API defines it (only what the adapter must send). */
const sendBody = z.object({
  senderAddress: z.string().min(1),
  recipients: z.object({ to: z.array(z.object({ address: z.string().min(1) })).min(1) }),
  content: z.object({ subject: z.string(), plainText: z.string().optional(), html: z.string().optional() }),
});

interface Operation {
  id: string;
  outcome: OperationOutcome;
  /** Status polls still answered Running before the outcome shows. */
  runningPolls: number;
}

/**
 * A loopback stand-in for the two calls of the ACS Email REST API the SDK makes: POST
 * `/emails:send` (answered 202 with an Operation-Location) and GET `/emails/operations/{id}` (the
 * operation's status, Running until it ends). It serves HTTPS with a certificate made for the run,
 * because the SDK's bearer-token policy refuses plain http; clients trust it through `tlsOptions`,
 * never by turning TLS checks off. It checks the auth of every request: an HMAC-SHA256 signature
 * with the connection string's key (over method, path and query, date, host and the body's hash),
 * or the bearer token of its credential. An Operation-Id seen before answers that operation again
 * and accepts no second email, as ACS does with a repeated operation id.
 */
export async function startAcsDouble(): Promise<AcsDouble> {
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  const accessKey = randomBytes(32).toString('base64');
  const token = `acs-double-token-${randomUUID()}`;
  const requests: RecordedAcsRequest[] = [];
  const sent: AcceptedEmail[] = [];
  const operations = new Map<string, Operation>();
  const outcomes: OperationOutcome[] = [];
  let endpoint = '';

  const authOf = (req: http.IncomingMessage, raw: string): RecordedAcsRequest['auth'] => {
    const authorization = req.headers['authorization'] ?? '';
    if (authorization === `Bearer ${token}`) return 'bearer';
    const signature = /^HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=(.+)$/.exec(
      authorization,
    )?.[1];
    const date = String(req.headers['x-ms-date'] ?? '');
    const contentHash = createHash('sha256').update(raw).digest('base64');
    if (!signature || !date || req.headers['x-ms-content-sha256'] !== contentHash) return 'none';
    const url = new URL(req.url ?? '/', endpoint);
    const query = url.searchParams.toString();
    const stringToSign = `${req.method}\n${url.pathname}${query ? `?${query}` : ''}\n${date};${req.headers.host};${contentHash}`;
    const expected = createHmac('sha256', Buffer.from(accessKey, 'base64')).update(stringToSign).digest();
    const given = Buffer.from(signature, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected) ? 'hmac' : 'none';
  };

  const statusBody = (operation: Operation) =>
    operation.runningPolls > 0 || operation.outcome.status === 'Succeeded'
      ? { id: operation.id, status: operation.runningPolls > 0 ? 'Running' : 'Succeeded' }
      : {
          id: operation.id,
          status: operation.outcome.status,
          error: { code: 'EmailSendFailed', message: operation.outcome.message },
        };

  const server = https.createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', endpoint);
      const record: RecordedAcsRequest = {
        method: req.method ?? '',
        path: url.pathname,
        apiVersion: url.searchParams.get('api-version'),
        headers: Object.fromEntries(
          Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), String(v)]),
        ),
        body: raw ? (JSON.parse(raw) as unknown) : undefined,
        auth: authOf(req, raw),
        status: 0,
      };
      requests.push(record);
      const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        record.status = status;
        res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
      };
      const error = (status: number, code: string, message: string) =>
        answer(status, { error: { code, message } }, { 'x-ms-error-code': code });

      if (record.auth === 'none')
        return error(401, 'Unauthorized', 'Denied by the double: bad signature or token.');
      if (record.apiVersion === null) return error(400, 'MissingApiVersion', 'api-version is required.');

      const poll = /^\/emails\/operations\/([^/]+)$/.exec(url.pathname);
      if (req.method === 'GET' && poll) {
        const operation = operations.get(decodeURIComponent(poll[1] ?? ''));
        if (!operation) return error(404, 'NotFound', 'No such operation.');
        const body = statusBody(operation);
        if (operation.runningPolls > 0) operation.runningPolls--;
        return answer(200, body);
      }
      if (req.method !== 'POST' || url.pathname !== '/emails:send')
        return error(404, 'NotFound', `${req.method} ${url.pathname} is not part of the double.`);

      const parsed = sendBody.safeParse(record.body);
      if (!parsed.success) return error(400, 'BadRequest', z.prettifyError(parsed.error));
      const id = record.headers['operation-id'] ?? randomUUID();
      let operation = operations.get(id);
      if (!operation) {
        operation = { id, outcome: outcomes.shift() ?? { status: 'Succeeded' }, runningPolls: 1 };
        operations.set(id, operation);
        const { senderAddress, recipients, content } = parsed.data;
        sent.unshift({
          id,
          sender: senderAddress,
          to: recipients.to[0]?.address ?? '',
          subject: content.subject,
          text: content.plainText ?? '',
          html: content.html ?? '',
        });
      }
      answer(202, statusBody(operation), {
        'operation-location': `${endpoint}/emails/operations/${id}?api-version=${API_VERSION}`,
        // ACS sends a Retry-After while the send runs, which the SDK prefers to its own interval;
        // 0 leaves the pace to the client's updateIntervalInMs, so tests do not wait seconds.
        'retry-after': '0',
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const scopes: string[][] = [];
  return {
    endpoint,
    connectionString: `endpoint=${endpoint}/;accesskey=${accessKey}`,
    credential: {
      scopes,
      async getToken(requested) {
        scopes.push(Array.isArray(requested) ? requested : [requested]);
        return { token, expiresOnTimestamp: Date.now() + 3_600_000 };
      },
    },
    ca: pems.cert,
    requests,
    sent,
    nextOutcomes(...next) {
      outcomes.push(...next);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
