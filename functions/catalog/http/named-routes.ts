import type { NamedKind } from '../catalog.tables.js';

export type { NamedKind } from '../catalog.tables.js';

/** Brands and categories share their routes' shape: `product/brands`, `product/categories`. */
export const namedRoutes: Record<NamedKind, { route: string; one: string }> = {
  brands: { route: 'product/brands', one: 'brand' },
  categories: { route: 'product/categories', one: 'category' },
};
