import { z } from 'zod';
import { id, intQuery, text } from '../../shared/http/fields.js';
import { documentedAs } from '../../shared/http/openapi-hints.js';
import { moneyInput } from '../../shared/money.js';

/** Zod schemas of the catalog's routes (storefront-api.md, Catalog) and the types inferred from them. */

export const SORTS = ['name', 'sold', 'view', 'priceAsc', 'priceDesc'] as const;
export type ProductSort = (typeof SORTS)[number];

export const MAX_PAGE_SIZE = 50;
const MAX_PRICE_MINOR = 1_000_000_00;
const MAX_QUANTITY = 1_000_000;

/** Multipart fields arrive as strings; an empty optional field means "not given". */
const blankAsAbsent = <T extends z.ZodType>(schema: T) =>
  z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
    schema.optional(),
  );

/** A whole number given as text (form field) or a JSON number. */
const wholeNumber = (label: string, min: number, max: number) =>
  documentedAs(
    z.union([z.number(), z.string()]).transform((value, ctx) => {
      const textValue = typeof value === 'number' ? String(value) : value.trim();
      if (!/^-?\d{1,10}$/.test(textValue)) {
        ctx.addIssue({ code: 'custom', message: `${label} must be a whole number` });
        return z.NEVER;
      }
      const n = Number(textValue);
      if (n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `${label} must be between ${min} and ${max}` });
        return z.NEVER;
      }
      return n;
    }),
    { type: 'integer', minimum: min, maximum: max },
  );

/** A star rating 0..5 with at most one decimal, as tenths (4.5 → 45). */
const rating = (label: string) =>
  documentedAs(
    z.union([z.number(), z.string()]).transform((value, ctx) => {
      const textValue = typeof value === 'number' ? String(value) : value.trim();
      const m = /^(\d)(?:\.(\d))?$/.exec(textValue);
      const tenths = m ? Number(m[1]) * 10 + Number(m[2] ?? '0') : NaN;
      if (!(tenths >= 0 && tenths <= 50)) {
        ctx.addIssue({ code: 'custom', message: `${label} must be a rating from 0 to 5, like 4 or 4.5` });
        return z.NEVER;
      }
      return tenths;
    }),
    { type: 'number', minimum: 0, maximum: 5, multipleOf: 0.1, examples: [4.5] },
  );

/** `sort`, matched case-insensitively so `priceasc` works as well as `priceAsc`. */
const sortQuery = documentedAs(
  z
    .string()
    .optional()
    .transform((value, ctx): ProductSort => {
      if (value === undefined) return 'name';
      const found = SORTS.find((s) => s.toLowerCase() === value.trim().toLowerCase());
      if (!found) {
        ctx.addIssue({ code: 'custom', message: `sort must be one of ${SORTS.join(', ')}` });
        return z.NEVER;
      }
      return found;
    }),
  { type: 'string', enum: [...SORTS], default: 'name', description: 'Case-insensitive.' },
);

/** pageSize: default 20; above 50 it is capped at 50 (the answer says so); below 1 or absurd it is refused. */
const pageSizeQuery = documentedAs(
  intQuery('pageSize', 20, 1, 10_000).transform((n) => Math.min(n, MAX_PAGE_SIZE)),
  {
    type: 'integer',
    minimum: 1,
    maximum: MAX_PAGE_SIZE,
    default: 20,
    description: `At most ${MAX_PAGE_SIZE}: a larger value is answered with ${MAX_PAGE_SIZE} (the answer's pageSize says so).`,
  },
);

export const productListQuery = z
  .object({
    pageIndex: intQuery('pageIndex', 1, 1, 1_000_000),
    pageSize: pageSizeQuery,
    sort: sortQuery,
    categoryId: id('categoryId').optional(),
    brandId: id('brandId').optional(),
    search: z
      .string()
      .trim()
      .max(100, 'search must have at most 100 characters')
      .optional()
      .transform((v) => (v === '' ? undefined : v)),
    priceMin: moneyInput({ max: MAX_PRICE_MINOR }).optional(),
    priceMax: moneyInput({ max: MAX_PRICE_MINOR }).optional(),
    ratingNumber: rating('ratingNumber').optional(),
  })
  .refine((q) => q.priceMin === undefined || q.priceMax === undefined || q.priceMin <= q.priceMax, {
    message: 'priceMin must not be more than priceMax',
    path: ['priceMin'],
  });
export type ProductListQuery = z.infer<typeof productListQuery>;

export const productIdParams = z.object({ id: id('Product id') });

/** Form fields are text; a missing one gets a message that names it rather than zod's "Invalid input". */
const required = <T extends z.ZodType>(label: string, schema: T) =>
  z.preprocess((value, ctx) => {
    if (value === undefined) ctx.addIssue({ code: 'custom', message: `${label} is required` });
    return value;
  }, schema);

const productFields = {
  name: text('Name', 1, 200),
  description: z
    .string({ message: 'Description must be text' })
    .max(50_000, 'Description is too long (50,000 characters at most)'),
  price: required('Price', moneyInput({ max: MAX_PRICE_MINOR })),
  priceBeforeDiscount: required('Price before discount', moneyInput({ max: MAX_PRICE_MINOR })),
  /** Units available for sale (what the storefront shows), not counting those orders hold. */
  quantity: required('Quantity', wholeNumber('Quantity', 0, MAX_QUANTITY)),
  categoryId: required('Category', id('categoryId')),
  brandId: required('Brand', id('brandId')),
  rating: required('Rating', rating('rating')),
};

/** POST product (multipart). priceBeforeDiscount defaults to the price, rating to 0, description to empty. */
export const createProductForm = z.object({
  name: productFields.name,
  description: blankAsAbsent(productFields.description),
  price: productFields.price,
  priceBeforeDiscount: blankAsAbsent(productFields.priceBeforeDiscount),
  quantity: productFields.quantity,
  categoryId: productFields.categoryId,
  brandId: productFields.brandId,
  rating: blankAsAbsent(productFields.rating),
});
export type CreateProductInput = z.infer<typeof createProductForm>;

/** A list of image ids: `3,4`, `3 4` or `[3,4]`. */
const imageIdList = z.string().transform((value, ctx) => {
  const parts = value
    .replace(/[[\]]/g, ' ')
    .split(/[\s,]+/)
    .filter((p) => p !== '');
  const ids: number[] = [];
  for (const part of parts) {
    const parsed = id('removeImageIds').safeParse(part);
    if (!parsed.success) {
      ctx.addIssue({
        code: 'custom',
        message: 'removeImageIds must be image ids separated by commas, like 3,4',
      });
      return z.NEVER;
    }
    ids.push(parsed.data);
  }
  return [...new Set(ids)];
});

/** PUT product (multipart): `id` plus any product field to change; absent or empty fields stay as they are. */
export const updateProductForm = z.object({
  id: id('Product id'),
  name: blankAsAbsent(productFields.name),
  // An empty description is a real value here (clearing it), so it is not treated as absent.
  description: productFields.description.optional(),
  price: blankAsAbsent(productFields.price),
  priceBeforeDiscount: blankAsAbsent(productFields.priceBeforeDiscount),
  quantity: blankAsAbsent(productFields.quantity),
  categoryId: blankAsAbsent(productFields.categoryId),
  brandId: blankAsAbsent(productFields.brandId),
  rating: blankAsAbsent(productFields.rating),
  removeImageIds: blankAsAbsent(imageIdList),
  mainImageId: blankAsAbsent(id('mainImageId')),
  /** The product's version when the form was loaded; a different current version is a 409. */
  version: blankAsAbsent(wholeNumber('version', 1, 2_147_483_647)),
});
export type UpdateProductInput = z.infer<typeof updateProductForm>;

export const namedBody = z.object({ name: text('Name', 1, 100) });
export const namedUpdateBody = z.object({ id: id('id'), name: text('Name', 1, 100) });
export const namedIdQuery = z.object({ id: id('id') });

// Responses

export const productImageSchema = z.object({
  id: z.number().int(),
  url: z.string(),
  description: z.string(),
  isMain: z.boolean(),
  dateAdded: z.string(),
});

export const productSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  description: z.string(),
  price: z.number(),
  priceBeforeDiscount: z.number(),
  rating: z.number(),
  sold: z.number().int(),
  view: z.number().int(),
  /** Available: on hand minus what unpaid orders hold. */
  quantity: z.number().int(),
  categoryId: z.number().int(),
  categoryName: z.string(),
  brandId: z.number().int(),
  brandName: z.string(),
  images: z.array(productImageSchema).min(1),
  /** Changes with every stock movement and edit; an ADMIN form sends it back to detect a stale form. */
  version: z.number().int(),
});
export type Product = z.infer<typeof productSchema>;

export const productPageSchema = z.object({
  pageIndex: z.number().int(),
  pageSize: z.number().int(),
  count: z.number().int(),
  data: z.array(productSchema),
});
export type ProductPage = z.infer<typeof productPageSchema>;

export const namedSchema = z.object({ id: z.number().int(), name: z.string() });
export type Named = z.infer<typeof namedSchema>;
