import type { Compilable, CompiledQuery } from 'kysely';

/** The values a statement takes: numbers and strings, in the order the builder uses them. */
export type TemplateValues = readonly (number | string)[];

interface Template {
  query: CompiledQuery;
  /** For each parameter of `query`: the index of the value it takes, or -1 for a constant. */
  slots: number[];
}

/**
 * Statements compiled once per shape and handle. Building and compiling a Kysely query costs more
 * than SQLite takes to run a small one (about 100 µs for the product list), and a hot read has a
 * few shapes (which filters are set, the sort). Each shape is built once with marker values, the
 * markers' places among its parameters are noted, and every use copies the compiled statement with
 * its own values in those places. The shape key must name everything that changes the SQL text;
 * the set of shapes must be bounded (they are kept for the handle's lifetime).
 */
export class QueryTemplates<Db extends object> {
  readonly #byHandle = new WeakMap<Db, Map<string, Template>>();

  compile<R>(
    db: Db,
    shape: string,
    values: TemplateValues,
    build: (values: TemplateValues) => Compilable<R>,
  ): CompiledQuery<R> {
    let templates = this.#byHandle.get(db);
    if (!templates) {
      templates = new Map();
      this.#byHandle.set(db, templates);
    }
    let template = templates.get(shape);
    if (!template) {
      template = templateOf(shape, values, build);
      templates.set(shape, template);
    }
    const { query, slots } = template;
    const parameters = query.parameters.map((constant, i) => {
      const slot = slots[i] ?? -1;
      return slot < 0 ? constant : values[slot];
    });
    return { ...query, parameters } as CompiledQuery<R>;
  }
}

function templateOf(
  shape: string,
  values: TemplateValues,
  build: (values: TemplateValues) => Compilable<unknown>,
): Template {
  const markers = values.map((value, i) =>
    typeof value === 'number' ? MARKER_NUMBER - i : `\u0000template value ${i}\u0000`,
  );
  const query = build(markers).compile();
  const slots = query.parameters.map((parameter) => markers.indexOf(parameter as number | string));
  const unused = markers.findIndex((_, i) => !slots.includes(i));
  if (unused >= 0) {
    // The builder put that value into the SQL text (or dropped it): a template would ignore it.
    throw new Error(`query template "${shape}": value ${unused} is not a parameter of the statement`);
  }
  return { query, slots };
}

/** Far outside any id, price or count a statement takes, and never a constant of one. */
const MARKER_NUMBER = -7_340_032_000_001;
