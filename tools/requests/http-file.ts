/**
 * Runs a `.http` request collection (requests.http) the way the REST Client extension does, for
 * the subset it uses: file variables (`@name = value`, resolved when used), named requests
 * (`# @name login`) and their answers (`{{login.response.body.$.data.token}}`), a request line,
 * headers, a body. `# @allow 400` lets a request answer 400 without failing the run.
 */
import fs from 'node:fs';

export interface HttpRequestBlock {
  title: string;
  name?: string;
  allow: number[];
  method: string;
  url: string;
  headers: [string, string][];
  body: string;
}

export function parseHttpFile(text: string): {
  variables: Map<string, string>;
  requests: HttpRequestBlock[];
} {
  const variables = new Map<string, string>();
  const requests: HttpRequestBlock[] = [];
  for (const block of text.split(/^###/m)) {
    const lines = block.split('\n');
    const title = (lines.shift() ?? '').trim();
    let name: string | undefined;
    const allow: number[] = [];
    let i = 0;
    for (; i < lines.length; i++) {
      const line = lines[i]?.trim() ?? '';
      const variable = /^@([A-Za-z_][\w]*)\s*=\s*(.*)$/.exec(line);
      if (variable?.[1] !== undefined) variables.set(variable[1], variable[2] ?? '');
      else if (/^#\s*@name\s+/.test(line)) name = line.replace(/^#\s*@name\s+/, '');
      else if (/^#\s*@allow\s+/.test(line))
        allow.push(
          ...line
            .replace(/^#\s*@allow\s+/, '')
            .split(/[\s,]+/)
            .map(Number),
        );
      else if (line === '' || line.startsWith('#') || line.startsWith('//')) continue;
      else break;
    }
    const requestLine = /^(GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS)\s+(\S+)/.exec(lines[i]?.trim() ?? '');
    if (!requestLine?.[1] || !requestLine[2]) continue;
    const headers: [string, string][] = [];
    for (i++; i < lines.length && (lines[i]?.trim() ?? '') !== ''; i++) {
      const header = /^([\w-]+):\s*(.*)$/.exec(lines[i]?.trim() ?? '');
      if (header?.[1] && header[2] !== undefined) headers.push([header[1], header[2]]);
    }
    const body = lines
      .slice(i + 1)
      .join('\n')
      .trim();
    requests.push({ title, name, allow, method: requestLine[1], url: requestLine[2], headers, body });
  }
  return { variables, requests };
}

export interface Answer {
  request: HttpRequestBlock;
  status: number;
  body: unknown;
  ok: boolean;
}

/** Runs every request in order; `overrides` replace file variables (another port, say). */
export async function runHttpFile(
  file: string,
  overrides: Record<string, string> = {},
  onAnswer: (answer: Answer) => void = () => {},
): Promise<Answer[]> {
  const { variables, requests } = parseHttpFile(fs.readFileSync(file, 'utf8'));
  for (const [key, value] of Object.entries(overrides)) variables.set(key, value);
  const answers = new Map<string, unknown>();
  const resolve = (text: string, depth = 0): string =>
    text.replace(/\{\{\s*([^}]+?)\s*\}\}/g, (whole, expression: string) => {
      if (depth > 10) throw new Error(`variables refer to each other in a loop: ${whole}`);
      const reference = /^(\w+)\.response\.body\.\$(.*)$/.exec(expression);
      if (reference?.[1] !== undefined) {
        let value: unknown = answers.get(reference[1]);
        if (value === undefined) throw new Error(`${whole}: the request "${reference[1]}" has not run`);
        for (const step of (reference[2] ?? '').match(/\.(\w+)|\[(\d+)\]/g) ?? []) {
          const key = step.startsWith('.') ? step.slice(1) : Number(step.slice(1, -1));
          value = (value as Record<string | number, unknown> | null)?.[key];
        }
        if (value === undefined) throw new Error(`${whole} is not in the answer`);
        return String(value);
      }
      const variable = variables.get(expression);
      if (variable === undefined) throw new Error(`${whole}: no such variable`);
      return resolve(variable, depth + 1);
    });

  const results: Answer[] = [];
  for (const request of requests) {
    const headers = new Headers(request.headers.map(([k, v]) => [k, resolve(v)] as [string, string]));
    const body = request.body === '' ? undefined : resolve(request.body).replace(/\r?\n/g, '\r\n');
    const res = await fetch(resolve(request.url), {
      method: request.method,
      headers,
      body,
      redirect: 'manual',
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: kept as text
    }
    if (request.name) answers.set(request.name, parsed);
    const answer = {
      request,
      status: res.status,
      body: parsed,
      ok: res.status < 400 || request.allow.includes(res.status),
    };
    results.push(answer);
    onAnswer(answer);
  }
  return results;
}
