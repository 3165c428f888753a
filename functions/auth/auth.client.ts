import { currentPlatform } from '../../shared/platform/current.js';
import { authDeps } from './auth.deps.js';
import { findUsersByIds, isSessionOpen } from './auth.repository.js';

/** What other domains may know of a user (orders print it on the order; emails address it). */
export interface UserContact {
  userId: string;
  name: string;
  email: string;
  phoneNumber: string;
}

/** The contacts of many users at once; unknown ids are simply absent from the map. */
export async function getUserContacts(userIds: string[]): Promise<Map<string, UserContact>> {
  const rows = await findUsersByIds(authDeps(currentPlatform()).db, [...new Set(userIds)]);
  return new Map(
    rows.map((r) => [r.id, { userId: r.id, name: r.name, email: r.email, phoneNumber: r.phone_number }]),
  );
}

export async function getUserContact(userId: string): Promise<UserContact | undefined> {
  return (await getUserContacts([userId])).get(userId);
}

/**
 * Whether the session a token names is still open: not signed out, not ended by a password change
 * or reset, not past its absolute limit. The pipeline asks it on the routes that need a live session.
 */
export async function isSessionLive(session: { userId: string; sessionId: string }): Promise<boolean> {
  const deps = authDeps(currentPlatform());
  return isSessionOpen(deps.db, session.sessionId, session.userId, deps.clock.now());
}
