// The CLI's two kinds of failure, apart from command.ts so the entry (main/cli.ts) can tell them
// apart without loading any command group or the core.

/** Bad usage: exit status 2; `hint` adds the line that points to --help. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly hint = true,
  ) {
    super(message);
  }
}

/** The operation failed: exit status 1, the message as the one line on stderr. */
export class CliFailure extends Error {}
