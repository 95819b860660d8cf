// The one XDG folder resolver (XDG Base Directory Specification 0.8): a variable counts only when
// it is set to an absolute path; anything else (unset, empty, relative) falls back to its default
// under HOME. Every area asks here instead of joining HOME itself.
import { join } from 'node:path';

export interface XdgDirs {
  /** $XDG_CONFIG_HOME, default ~/.config */
  config: string;
  /** $XDG_DATA_HOME, default ~/.local/share */
  data: string;
  /** $XDG_STATE_HOME, default ~/.local/state */
  state: string;
  /** $XDG_CACHE_HOME, default ~/.cache */
  cache: string;
  /** $XDG_RUNTIME_DIR, null when unset or not absolute (an SSH login without PAM has none). */
  runtime: string | null;
  /** $XDG_CONFIG_DIRS, default /etc/xdg; relative entries are ignored. */
  configDirs: string[];
  /** $XDG_DATA_DIRS, default /usr/local/share:/usr/share; relative entries are ignored. */
  dataDirs: string[];
}

function absolute(value: string | undefined): string | null {
  return value !== undefined && value.startsWith('/') ? value : null;
}

function list(value: string | undefined, fallback: string[]): string[] {
  const dirs = (value ?? '').split(':').filter((d) => d.startsWith('/'));
  return dirs.length > 0 ? dirs : fallback;
}

/** The user's home: $HOME when absolute, else / (the CLI and the core never guess another). */
export function homeDir(env: NodeJS.ProcessEnv): string {
  return absolute(env.HOME) ?? '/';
}

export function xdgDirs(env: NodeJS.ProcessEnv): XdgDirs {
  const home = homeDir(env);
  return {
    config: absolute(env.XDG_CONFIG_HOME) ?? join(home, '.config'),
    data: absolute(env.XDG_DATA_HOME) ?? join(home, '.local', 'share'),
    state: absolute(env.XDG_STATE_HOME) ?? join(home, '.local', 'state'),
    cache: absolute(env.XDG_CACHE_HOME) ?? join(home, '.cache'),
    runtime: absolute(env.XDG_RUNTIME_DIR),
    configDirs: list(env.XDG_CONFIG_DIRS, ['/etc/xdg']),
    dataDirs: list(env.XDG_DATA_DIRS, ['/usr/local/share', '/usr/share']),
  };
}

/** The app's own folders: everything Daemon Deck creates lives below one of these. */
export function appDirs(env: NodeJS.ProcessEnv): {
  config: string;
  data: string;
  state: string;
  locks: string;
} {
  const x = xdgDirs(env);
  const state = join(x.state, 'daemon-deck');
  return {
    config: join(x.config, 'daemon-deck'),
    data: join(x.data, 'daemon-deck'),
    state,
    locks: join(state, 'locks'),
  };
}

/**
 * The folder the app and the CLI keep settings in: $DAEMON_DECK_CONFIG_DIR, else the app's own
 * config folder ($XDG_CONFIG_HOME/daemon-deck, ~/.config/daemon-deck). electron-store is pointed
 * here too, so both read and write the one settings.json.
 */
export function settingsDir(env: NodeJS.ProcessEnv): string {
  const own = env.DAEMON_DECK_CONFIG_DIR;
  return own !== undefined && own.startsWith('/') ? own : appDirs(env).config;
}
