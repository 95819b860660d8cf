// Shell completion for bash, zsh and fish: `daemon-deck completion SHELL` prints a small script
// that asks `daemon-deck __complete WORDS... CURRENT` what may come next, so all three shells
// offer the same words from one place: the command names, each command's options (--help
// included), its subcommands and the values its usage lines name, and the ids of live entries
// (`daemon-deck stop sys<TAB>`). Nothing is read from the system unless an id is wanted, and then
// only the sources that id can come from.
import type { CliIo, Command, ParsedArgs } from './command.js';
import { UsageError } from './errors.js';
import { t } from '../../i18n/index.js';

/**
 * What completion reads of the command list. main/cli.ts hands it over when it loads this group,
 * so this file does not import cli.ts back (which would make an import cycle).
 */
export interface CommandRegistry {
  commandNames(): string[];
  findCommand(name: string): Promise<Command | undefined>;
  usageLines(command: Command): string[];
}
let registry: CommandRegistry | undefined;

function commands(): CommandRegistry {
  if (registry === undefined) throw new Error('completion: the command list was not handed over');
  return registry;
}

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
type Shell = (typeof SHELLS)[number];

const BASH = String.raw`# bash completion for daemon-deck (printed by: daemon-deck completion bash)
_daemon_deck() {
  local line=${'$'}{COMP_LINE:0:COMP_POINT}
  local -a words
  read -r -a words <<<"$line"
  # A space before the cursor: a new, empty word is being completed.
  if [[ -z $line || $line =~ [[:space:]]$ ]]; then words+=(""); fi
  local cur=${'$'}{words[${'$'}{#words[@]}-1]}
  local IFS=$'\n'
  COMPREPLY=($("${'$'}{COMP_WORDS[0]:-daemon-deck}" __complete "${'$'}{words[@]:1}" 2>/dev/null))
  # bash splits words at ':' (COMP_WORDBREAKS): give back only what follows cur's last ':'.
  if [[ $cur == *:* && $COMP_WORDBREAKS == *:* ]]; then
    local prefix=${'$'}{cur%"${'$'}{cur##*:}"} i
    for i in "${'$'}{!COMPREPLY[@]}"; do COMPREPLY[i]=${'$'}{COMPREPLY[i]#"$prefix"}; done
  fi
}
complete -o default -F _daemon_deck daemon-deck
`;

const ZSH = String.raw`#compdef daemon-deck
# zsh completion for daemon-deck (printed by: daemon-deck completion zsh)
_daemon_deck() {
  local -a candidates
  candidates=("${'$'}{(@f)$("${'$'}{words[1]}" __complete "${'$'}{(@)words[2,CURRENT]}" 2>/dev/null)}")
  candidates=("${'$'}{(@)candidates:#}")
  if (( ${'$'}{#candidates} )); then
    compadd -- "${'$'}{candidates[@]}"
  else
    _files
  fi
}
if [[ ${'$'}{funcstack[1]} == _daemon-deck ]]; then
  _daemon_deck "$@"
else
  compdef _daemon_deck daemon-deck
fi
`;

const FISH = String.raw`# fish completion for daemon-deck (printed by: daemon-deck completion fish)
function __daemon_deck_complete
    set -l tokens (commandline -opc)
    set -l cur (commandline -ct)
    set -l out ($tokens[1] __complete $tokens[2..-1] $cur 2>/dev/null)
    if test (count $out) -gt 0
        printf '%s\n' $out
    else
        __fish_complete_path $cur
    end
end
complete -c daemon-deck -f -a '(__daemon_deck_complete)'
`;

export function completionScript(shell: Shell): string {
  return { bash: BASH, zsh: ZSH, fish: FISH }[shell];
}

/** The file name each shell looks for in its completions folder (the packages install these). */
export const COMPLETION_FILES: Record<Shell, string> = {
  bash: 'daemon-deck',
  zsh: '_daemon-deck',
  fish: 'daemon-deck.fish',
};

/** A usage line's positional words: `cron enable|disable KEY|cron:KEY` -> the last two. */
function positionalsOf(line: string, command: Command): string[] {
  const out: string[] = [];
  let depth = 0;
  let skipValue = false;
  for (const token of line.split(/\s+/).slice(1)) {
    if (token === '--' || token.startsWith('(')) break;
    const inBrackets = depth > 0 || token.startsWith('[');
    depth += (token.match(/\[/g) ?? []).length - (token.match(/\]/g) ?? []).length;
    if (skipValue) skipValue = false;
    else if (token.startsWith('-')) {
      const name = token.replace(/^-+/, '');
      skipValue = command.options?.[name]?.type === 'string';
    } else if (!inBrackets) out.push(token);
    else if (/^\[[a-z][a-z|-]*\]$/.test(token)) out.push(token.slice(1, -1)); // linger [on|off]
  }
  return out;
}

/** What a usage word stands for: literal choices (`enable|disable`), or ids (`ID`, `cron:KEY`). */
function expand(word: string): { choices: string[]; ids: string | null } {
  const parts = word.split('|');
  const choices = parts.filter((p) => /^[a-z][a-z-]*$/.test(p));
  if (choices.length === parts.length) return { choices, ids: null };
  if (parts.includes('ID')) return { choices: [], ids: '' };
  const prefix = parts.map((p) => /^([a-z]+:)[A-Z]/.exec(p)?.[1]).find((p) => p !== undefined);
  return { choices: [], ids: prefix ?? null };
}

/** The positionals typed so far, without options and the values of string options. */
function typedPositionals(command: Command, words: string[]): string[] | null {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === '--') return command.takesCommand ? null : out; // a command line: the shell's own
    if (!w.startsWith('-') || w === '-') out.push(w);
    else if (!w.includes('=') && optionOf(command, w)?.type === 'string') i++;
  }
  return out;
}

function optionOf(command: Command, flag: string) {
  const specs = Object.entries(command.options ?? {});
  const found = flag.startsWith('--')
    ? specs.find(([name]) => `--${name}` === flag)
    : specs.find(([, spec]) => spec.short !== undefined && `-${spec.short}` === flag);
  return found?.[1];
}

/** The ids of live entries, full (`systemd:web.service`) and, for units, bare (`web.service`). */
async function liveIds(io: CliIo, prefix: string, verb: string | null): Promise<string[]> {
  const [{ withCore }, { sourceOfId, verbsOf }] = await Promise.all([
    import('./units.js'),
    import('../core/monitor/entry-verbs.js'),
  ]);
  const source = prefix === '' ? null : sourceOfId(prefix);
  const quiet: CliIo = { ...io, out: () => undefined, err: () => undefined };
  // Only reads: the settings as they are (no lock, no migration written on a TAB), this machine's
  // systemd asked first and its unit-file list from the memo while the folders stay as they were.
  const entries = await withCore(
    quiet,
    (core) => Promise.resolve(core.monitor.snapshot().entries),
    { readOnly: true, ...(source === null ? {} : { sources: [source] }) },
  );
  return entries
    .filter((e) => verb === null || (verbsOf(e.id) as readonly string[]).includes(verb))
    .flatMap((e) => (e.id.startsWith('systemd:') ? [e.id, e.name] : [e.id]));
}

/** What may follow `words` (the last one is the word being completed, maybe empty). */
export async function complete(words: string[], io: CliIo): Promise<string[]> {
  const cur = words.at(-1) ?? '';
  const before = words.slice(0, -1);
  const offer = (list: readonly string[]) => [...new Set(list)].filter((w) => w.startsWith(cur));
  const [name, ...args] = before;
  if (name === undefined)
    return offer(
      cur.startsWith('-') ? ['--help', '--version'] : [...commands().commandNames(), 'help'],
    );
  const command = await commands().findCommand(name);
  if (command === undefined) return [];
  const typed = typedPositionals(command, args);
  if (typed === null) return [];
  const previous = args.at(-1);
  const valueOf = previous?.startsWith('-') ? optionOf(command, previous) : undefined;
  if (valueOf?.type === 'string') return offer(valueOf.choices ?? []);
  if (cur.startsWith('-')) {
    const flags = Object.entries(command.options ?? {}).flatMap(([n, spec]) => [
      `--${n}`,
      ...(spec.short ? [`-${spec.short}`] : []),
    ]);
    return offer([...flags, '--help']);
  }
  const words_ = commands()
    .usageLines(command)
    .map((line) => positionalsOf(line, command))
    .filter((ps) => ps.slice(0, typed.length).every((p, i) => matches(p, typed[i]!)))
    .map((ps) => ps[typed.length])
    .filter((w) => w !== undefined)
    .map(expand);
  const choices = words_.flatMap((w) => w.choices);
  const idPrefix = words_.find((w) => w.ids !== null)?.ids ?? null;
  // Ids are offered once the word could be one: `stop <TAB>` lists them all, `stop sys<TAB>`
  // narrows; bare unit names only once something is typed, so an empty word is not listed twice.
  const ids =
    idPrefix === null
      ? []
      : (await liveIds(io, idPrefix, typed.length === 0 ? command.name : null)).filter(
          (id) =>
            id.startsWith(idPrefix) && (id.includes(':') || (cur !== '' && !cur.includes(':'))),
        );
  return offer([...choices, ...ids]);
}

/** Does a typed word fit a usage word (a literal choice, or any value for a placeholder)? */
function matches(usageWord: string, typed: string): boolean {
  const { choices } = expand(usageWord);
  return choices.length === 0 || choices.includes(typed);
}

const completion: Command = {
  name: 'completion',
  run({ positionals }: ParsedArgs, io: CliIo) {
    const [shell, ...extra] = positionals;
    if (shell === undefined || extra.length > 0 || !(SHELLS as readonly string[]).includes(shell))
      throw new UsageError(t('cli:completion.shells', { shells: SHELLS.join(', ') }));
    io.out(completionScript(shell as Shell).trimEnd());
    return Promise.resolve(0);
  },
};

/** Hidden: the shells' scripts call it with the words typed so far; prints one word a line. */
const completeCommand: Command = {
  name: '__complete',
  raw: true,
  async run({ positionals }: ParsedArgs, io: CliIo) {
    const found = await complete(positionals, io).catch(() => []);
    if (found.length > 0) io.out(found.join('\n'));
    return 0;
  },
};

/** The group's commands, reading the command list `commands` (main/cli.ts). */
export function completionCommands(commands: CommandRegistry): Command[] {
  registry = commands;
  return [completion, completeCommand];
}
