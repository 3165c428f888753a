/**
 * `load`, run at the first call and its promise shared by every call after; a load that fails is
 * forgotten, so the next call tries again (a broken native build fixed, a module installed). For
 * packages imported at their first use rather than at start-up.
 */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () =>
    (loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    }));
}
