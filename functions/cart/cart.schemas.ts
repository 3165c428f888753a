import { z } from 'zod';
import { bodyId, bodyUserId, text } from '../../shared/http/fields.js';

export const MAX_LINES = 50;
export const MAX_COUNT = 99;

const userIdField = bodyUserId();

const count = z
  .number({ message: 'count must be a number' })
  .int('count must be a whole number')
  .min(0, 'count must not be negative (0 removes the line)')
  .max(MAX_COUNT, `count must be at most ${MAX_COUNT}`);

/**
 * cartupsert. The storefront posts whole products (and more) inside each line: only `productId`
 * and `count` are read; prices and totals from the client are dropped with the rest.
 */
export const upsertCartBody = z.object({
  cartHeader: z.object({ userId: userIdField }, { message: 'cartHeader must be an object' }).optional(),
  cartDetails: z
    .array(
      z.object({ productId: bodyId('productId'), count }, { message: 'each cart line must be an object' }),
      {
        message: 'cartDetails must be a list of cart lines',
      },
    )
    .min(1, 'cartDetails must have at least one line')
    .max(MAX_LINES, `cartDetails may have at most ${MAX_LINES} lines`)
    .superRefine((lines, ctx) => {
      const seen = new Set<number>();
      lines.forEach((line, index) => {
        if (seen.has(line.productId)) {
          ctx.addIssue({
            code: 'custom',
            path: [index, 'productId'],
            message: `product ${line.productId} appears twice`,
          });
        }
        seen.add(line.productId);
      });
    }),
});
export type UpsertCartInput = z.infer<typeof upsertCartBody>;

/** removecart: a bare JSON array of cart line ids, e.g. `[4058, 4059]`. */
export const removeCartBody = z
  .array(bodyId('cartDetailsId'), {
    message: 'The body must be a JSON array of cart line ids, like [4058, 4059]',
  })
  .min(1, 'Give at least one cart line id')
  .max(100, 'At most 100 cart line ids at once');

export const applyCouponBody = z.object({
  cartHeader: z.object(
    {
      userId: userIdField,
      /** '' or null removes the coupon (what the storefront did before removecoupon existed). */
      couponCode: z
        .string({ message: 'couponCode must be text' })
        .max(100, 'couponCode must have at most 100 characters')
        .nullable(),
    },
    { message: 'cartHeader must be an object with couponCode' },
  ),
});
export type ApplyCouponInput = z.infer<typeof applyCouponBody>['cartHeader'];

export const removeCouponBody = z.object({
  cartHeader: z.object({ userId: userIdField }, { message: 'cartHeader must be an object' }).optional(),
});

export const emailCartBody = z.object({
  cartHeader: z
    .object(
      {
        userId: userIdField,
        email: z
          .string({ message: 'email must be text' })
          .trim()
          .toLowerCase()
          .max(254)
          .nullable()
          .optional(),
      },
      { message: 'cartHeader must be an object' },
    )
    .optional(),
});
export type EmailCartInput = NonNullable<z.infer<typeof emailCartBody>['cartHeader']>;

export const userIdParams = z.object({ userId: text('userId', 1, 64) });

// Responses

const productImageSchema = z.object({
  id: z.number(),
  url: z.string(),
  description: z.string(),
  isMain: z.boolean(),
  dateAdded: z.string(),
});

/** The catalog's Product, as the catalog client returns it now (never what the client posted). */
export const cartProductSchema = z.object({
  id: z.number(),
  name: z.string(),
  description: z.string(),
  price: z.number(),
  priceBeforeDiscount: z.number(),
  rating: z.number(),
  sold: z.number(),
  view: z.number(),
  quantity: z.number(),
  categoryId: z.number(),
  categoryName: z.string(),
  brandId: z.number(),
  brandName: z.string(),
  images: z.array(productImageSchema),
});

export const cartHeaderSchema = z.object({
  cartHeaderId: z.number(),
  userId: z.string(),
  couponCode: z.string().describe("'' when none is applied"),
  discount: z.number().describe('0 when the coupon does not apply now'),
  cartTotal: z.number().describe('the lines at current prices, less the discount'),
});

export const cartDetailSchema = z.object({
  cartDetailsId: z.number().describe('0 for a line a count of 0 removed'),
  cartHeaderId: z.number(),
  productId: z.number(),
  count: z.number(),
  product: cartProductSchema.nullable().describe('null only for a removed line of a product no longer sold'),
});

export const cartSchema = z.object({ cartHeader: cartHeaderSchema, cartDetails: z.array(cartDetailSchema) });
export type CartHeaderDto = z.infer<typeof cartHeaderSchema>;
export type CartDetailDto = z.infer<typeof cartDetailSchema>;
export type CartDto = z.infer<typeof cartSchema>;
