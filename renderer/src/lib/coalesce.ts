// Reloads that may be asked for faster than they answer (a snapshot event per change): never two
// at once, and an ask that comes during a run makes one more run after it, so the last answer
// shown is always from after the last ask.

/** `task`, wrapped so that overlapping calls coalesce into at most one more run. The wrapper
 *  answers true from the call that did the runs, false from one that only asked for another. */
export function coalesce(task: () => Promise<void>): () => Promise<boolean> {
  let inFlight = false;
  let again = false;
  return async () => {
    if (inFlight) {
      again = true;
      return false;
    }
    inFlight = true;
    try {
      do {
        again = false;
        await task();
      } while (again);
    } finally {
      inFlight = false;
    }
    return true;
  };
}
