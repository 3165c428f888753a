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
