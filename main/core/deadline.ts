// One way to give up waiting: a promise raced against a timer that rejects, the timer cleared
// either way (and never keeping the process alive on its own).

/** `p`, or `error()` thrown once `ms` pass without its settling. */
export function deadline<T>(p: Promise<T>, ms: number, error: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(error()), ms);
    timer.unref();
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}
