/**
 * Stripe's request bodies are form-encoded with bracket keys (`line_items[0][price_data][unit_amount]=1999`).
 * This rebuilds the nested value the SDK started from: objects for named keys, arrays for numeric
 * indexes, every leaf a string (the form carries no types; the double's schemas parse them).
 */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };

export function parseStripeForm(body: string): Record<string, FormValue> {
  const root: Record<string, FormValue> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = keyPath(key);
    if (path.length === 0) throw new Error(`malformed form key: ${key}`);
    let node: Record<string, FormValue> | FormValue[] = root;
    path.forEach((segment, i) => {
      const last = i === path.length - 1;
      const next = last ? value : (read(node, segment) ?? (isIndex(path[i + 1] ?? '') ? [] : {}));
      if (typeof next === 'string' && !last) throw new Error(`form key ${key} nests under a plain value`);
      write(node, segment, next);
      if (!last && typeof next !== 'string') node = next;
    });
  }
  return root;
}

/** `a[b][0]` -> ['a', 'b', '0']. */
function keyPath(key: string): string[] {
  const m = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
  if (!m) return [];
  return [m[1] ?? '', ...[...(m[2] ?? '').matchAll(/\[([^[\]]*)\]/g)].map((s) => s[1] ?? '')];
}

const isIndex = (segment: string) => /^\d+$/.test(segment);

function read(node: Record<string, FormValue> | FormValue[], segment: string): FormValue | undefined {
  if (Array.isArray(node)) return node[Number(segment)];
  return Object.hasOwn(node, segment) ? node[segment] : undefined;
}

function write(node: Record<string, FormValue> | FormValue[], segment: string, value: FormValue): void {
  if (Array.isArray(node)) {
    if (!isIndex(segment)) throw new Error(`form key segment ${segment} is not an array index`);
    node[Number(segment)] = value;
  } else {
    // A key like `__proto__` would reach the object's prototype instead of a field of its own.
    Object.defineProperty(node, segment, { value, enumerable: true, writable: true, configurable: true });
  }
}
