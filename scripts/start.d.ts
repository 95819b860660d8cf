// Types of scripts/start.js, which stays plain JavaScript so that `npm start` runs before any
// build on every Node the project supports.

type Env = Record<string, string | undefined>;
type Output = NodeJS.WritableStream & { isTTY?: boolean };
export type DownloadProgress = { percent: number; transferred: number; total: number | null };

export function electronPackageDir(): string;
export function installedElectron(electronDir: string, env: Env): string | null;
export function progressLine(
  out: Output,
  label: string,
): { update(progress: DownloadProgress): void; end(): void };
export function downloadToCache(options: {
  electronDir: string;
  env: Env;
  onProgress: (progress: DownloadProgress) => void;
}): Promise<void>;
export function runElectronInstall(options: { electronDir: string; env: Env }): Promise<void>;

export type EnsureOptions = {
  electronDir?: string;
  env?: Env;
  out?: Output;
  download?: typeof downloadToCache;
  install?: typeof runElectronInstall;
};
export function ensureElectron(options?: EnsureOptions): Promise<string>;
export function start(
  args: string[],
  deps?: EnsureOptions & { launch?: (execPath: string, args: string[]) => Promise<void> },
): Promise<number>;
