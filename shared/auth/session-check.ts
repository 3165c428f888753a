/** Asks the domain that owns sessions (auth) whether one is still open, for `session: 'live'` routes. */
export type SessionCheck = (session: { userId: string; sessionId: string }) => Promise<boolean>;
