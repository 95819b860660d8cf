// The one audited function that turns an argument vector into a command line for the far side's
// POSIX shell (issue 17). ssh(1) joins its command arguments with spaces and the far sshd hands
// that string to the user's login shell (`$SHELL -c STRING`), so every argument must arrive
// quoted: each is wrapped in single quotes, inside which a POSIX shell gives every byte its
// literal meaning, and a single quote inside is written as '\'' (close, an escaped quote, open).
// Nothing else is ever built into a far command: fixed scripts are constants of this program
// and take their inputs as quoted positional arguments ("$1"...).
//
// A NUL cannot be passed to any program (argv strings end at it): refused, never truncated.

/** One argument quoted for a POSIX shell: 'text', with ' written as '\''. */
export function quoteArg(arg: string): string {
  if (arg.includes('\0')) throw new Error('an argument for the far side cannot hold a NUL byte');
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** An argument vector as one POSIX shell command line: every word quoted, joined by spaces. */
export function shellCommand(argv: readonly string[]): string {
  if (argv.length === 0) throw new Error('an empty command');
  return argv.map(quoteArg).join(' ');
}
