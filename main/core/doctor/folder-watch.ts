// Tells whether anything changed in a set of folders since a facts reader last read them, so a
// fact read from them (the user units' commands, the autostart list) can be kept between checks
// without stat-ing every file again. inotify (fs.watch) reports a file created, removed, renamed
// or written in place in a watched folder. The watches never keep a process alive. Where a folder
// cannot be watched (missing, not local, out of inotify watches) the set counts as changed on
// every check, so the caller reads again: the watch only saves work, it never decides a fact.
import { watch, type FSWatcher } from 'node:fs';

export class FolderWatch {
  private watchers: FSWatcher[] = [];
  private key = '';
  private healthy = false;
  /** Bumped on every event and every error. */
  private changes = 0;

  /**
   * A token for the current state of `folders` (watching them from now on); equal tokens from two
   * calls mean nothing changed in between. null: the folders are not watched.
   */
  token(folders: readonly string[]): string | null {
    const key = [...folders].sort().join('\0');
    if (key !== this.key) {
      this.close();
      this.key = key;
      this.healthy = true;
      this.changes++;
      for (const f of folders) {
        try {
          const w = watch(f, { persistent: false }, () => this.changes++);
          w.on('error', () => {
            this.healthy = false;
            this.changes++;
          });
          this.watchers.push(w);
        } catch {
          this.healthy = false;
        }
      }
    }
    return this.healthy ? `${this.key}\u0001${this.changes}` : null;
  }

  close(): void {
    for (const w of this.watchers) w.close();
    this.watchers = [];
    this.key = '';
    this.healthy = false;
  }
}
