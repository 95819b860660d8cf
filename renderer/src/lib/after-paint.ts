// Work a window does not need for its first frame (issue 16: the panel's first render): counts and
// checks that ask main for a /proc scan or a thousand file reads, wider lists. Started once that
// frame is painted, they neither add to it nor keep main busy while the page's scripts and first
// answers are on their way.

/** Runs `work` in a task after the next frame is painted; returns the cancel. */
export function afterPaint(work: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const frame = requestAnimationFrame(() => {
    timer = setTimeout(work);
  });
  return () => {
    cancelAnimationFrame(frame);
    clearTimeout(timer);
  };
}
