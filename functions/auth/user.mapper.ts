import type { BlobStore } from '../../shared/storage/blob-store.js';
import { ROLES, type Role, type User } from './auth.schemas.js';
import type { UserRow } from './auth.tables.js';

/** A user row as the storefront reads it: string fields never null, a zone-less birthday, an absolute avatar URL. */
export function toUser(row: UserRow, roles: string[], blobs: BlobStore, baseUrl: string): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    phoneNumber: row.phone_number,
    address: row.address,
    dateOfBirth: row.date_of_birth ? `${row.date_of_birth}T00:00:00` : '',
    avatar: row.avatar_key ? blobs.url(row.avatar_key, baseUrl) : '',
    roles: roles.filter((r): r is Role => (ROLES as readonly string[]).includes(r)),
  };
}
