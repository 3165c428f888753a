import type { FieldError } from './errors.js';

/** The one response body shape the storefront reads (storefront-api.md, Conventions). */
export interface Envelope<T = unknown> {
  data: T | null;
  isSuccess: boolean;
  message: string;
  type: string;
  code?: string;
  errors?: FieldError[];
}

export const success = <T>(data: T, message = ''): Envelope<T> => ({
  data,
  isSuccess: true,
  message,
  type: '',
});

/**
 * The bytes `JSON.stringify(success(data))` gives, from the data's JSON: for answers whose data is
 * put together from JSON kept encoded (the catalog's product cards).
 */
export const successJson = (dataJson: string): string =>
  `{"data":${dataJson},"isSuccess":true,"message":"","type":""}`;
