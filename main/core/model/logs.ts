// The logs area's shapes (issue 14): what part of a log to read, whose log, and a background
// command's log file. Types only: the renderer imports these through contract/index.ts.

export interface LogQuery {
  lines?: number;
  afterCursor?: string;
  /** syslog priority 0 (emerg) .. 7 (debug): this one and the more urgent ones. */
  priority?: number;
  /** systemd.time(7) text, or an ISO 8601 time. */
  since?: string;
  until?: string;
  /** A regular expression; case-insensitive unless it has a capital letter. */
  grep?: string;
}

/** Whose log: a unit (its journal or output file) or a watch rule (its log file). */
export type LogTarget = { kind: 'unit'; id: string } | { kind: 'watch'; name: string };

export interface LogExport {
  path: string;
  lines: number;
}

export interface LogFileInfo {
  path: string;
  /** Bytes now; null when the file does not exist (yet). */
  size: number | null;
  /** Bytes per minute over the last samples (up to five minutes); null until two samples. */
  growthPerMin: number | null;
  /** The size above which the UI warns (the logWarnBytes setting). */
  limit: number;
  overLimit: boolean;
}

export interface RotateOutcome {
  path: string;
  /** Where the old lines went. */
  rotatedTo: string;
  bytes: number;
  /** The processes that were paused for the tail's copy. */
  writers: number[];
  /** How long they were paused, in ms. */
  pausedMs: number;
}
