// Shell completion as a shell runs it: the script `daemon-deck completion bash` prints is sourced
// into a real bash, which is handed a half-typed line the way readline hands it (COMP_LINE,
// COMP_POINT, COMP_WORDS split at ':' as COMP_WORDBREAKS says) and must offer the sandbox's own
// unit. zsh and fish are checked with their own parsers when installed; where they are not, the
// scripts are checked by bash's parser (zsh) and by their block structure (fish) instead.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../harness/sandbox.js';
import { sleeperUnit } from '../helpers/units.js';
import { DAEMON_DECK_BIN, runCli } from '../helpers/cli.js';

const UNIT = 'dd-complete-web.service';

function installed(program: string): boolean {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', program]).status === 0;
}

describe('shell completion', () => {
  let sb: Sandbox;
  let bin: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    sb = await startSandbox({ label: 'completion' });
    await sb.writeUnit(UNIT, sleeperUnit('A unit to complete'));
    await sb.daemonReload();
    expect((await sb.systemctl('start', UNIT)).code).toBe(0);
    // `daemon-deck` on PATH, as the packages install it.
    bin = mkdtempSync(join(tmpdir(), 'dd-completion-bin-'));
    const wrapper = join(bin, 'daemon-deck');
    writeFileSync(wrapper, `#!/bin/sh\nexec '${process.execPath}' '${DAEMON_DECK_BIN}' "$@"\n`);
    chmodSync(wrapper, 0o755);
    env = { ...sb.env, PATH: `${bin}${delimiter}${sb.env.PATH ?? process.env.PATH}` };
  });
  afterAll(async () => {
    await sb?.stop();
    if (bin) rmSync(bin, { recursive: true, force: true });
  });

  /** What bash offers for `line` (the cursor at its end), through the printed script. */
  function bashComplete(line: string): string[] {
    const script = [
      'source <(daemon-deck completion bash) || exit 9',
      'COMP_LINE=$1; COMP_POINT=${#COMP_LINE}',
      // readline's own split: at blanks and at each ':' (bash's default COMP_WORDBREAKS).
      'COMP_WORDS=(); w=""',
      'for ((i = 0; i < ${#COMP_LINE}; i++)); do c=${COMP_LINE:i:1}',
      '  if [[ $c == " " ]]; then [[ -n $w ]] && COMP_WORDS+=("$w"); w=""',
      '  elif [[ $c == : ]]; then [[ -n $w ]] && COMP_WORDS+=("$w"); COMP_WORDS+=(:); w=""',
      '  else w+=$c; fi; done',
      'COMP_WORDS+=("$w"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))',
      '_daemon_deck daemon-deck "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"',
      'printf "%s\\n" "${COMPREPLY[@]}"',
    ].join('\n');
    const out = execFileSync('bash', ['-c', script, 'bash', line], { env, encoding: 'utf8' });
    return out.split('\n').filter((l) => l !== '');
  }

  it('prints a script for each shell, and refuses any other', async () => {
    for (const shell of ['bash', 'zsh', 'fish']) {
      const r = await runCli(env, 'completion', shell);
      expect([shell, r.code]).toEqual([shell, 0]);
      expect(r.stdout).toMatch(/__complete/);
    }
    const bad = await runCli(env, 'completion', 'tcsh');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bash, zsh, fish/);
  });

  it('the packages install the scripts the build printed, where each shell looks', async () => {
    const root = new URL('../../', import.meta.url);
    const yml = readFileSync(new URL('electron-builder.yml', root), 'utf8');
    const files = {
      bash: ['daemon-deck', '/usr/share/bash-completion/completions/daemon-deck'],
      zsh: ['_daemon-deck', '/usr/share/zsh/vendor-completions/_daemon-deck'],
      fish: ['daemon-deck.fish', '/usr/share/fish/vendor_completions.d/daemon-deck.fish'],
    };
    for (const [shell, [file, target]] of Object.entries(files)) {
      expect(yml).toContain(`- out/completions/${file}=${target}`);
      const built = readFileSync(new URL(`out/completions/${file}`, root), 'utf8');
      expect([shell, built]).toEqual([shell, (await runCli(env, 'completion', shell)).stdout]);
    }
  });

  it('bash: commands, options and option values', () => {
    expect(bashComplete('daemon-deck st')).toEqual(
      expect.arrayContaining(['start', 'status', 'stop', 'strays']),
    );
    expect(bashComplete('daemon-deck st')).not.toContain('list');
    expect(bashComplete('daemon-deck list --k')).toEqual(['--kind']);
    expect(bashComplete('daemon-deck list --kind s').sort()).toEqual([
      'service',
      'session',
      'socket',
    ]);
    expect(bashComplete('daemon-deck cron ').sort()).toEqual(
      ['add', 'disable', 'edit', 'enable', 'list', 'rm', 'run', 'to-timer', 'undo'].sort(),
    );
    expect(bashComplete('daemon-deck completion ').sort()).toEqual(['bash', 'fish', 'zsh']);
  });

  it('bash: `daemon-deck stop sys<TAB>` offers the live unit of the sandbox, and its bare name', () => {
    const full = bashComplete('daemon-deck stop sys');
    expect(full).toContain(`systemd:${UNIT}`);
    for (const word of full) expect(word).toMatch(/^sys/);
    // After the ':' bash replaces only what follows it, so the script gives back that part.
    expect(bashComplete('daemon-deck stop systemd:dd-complete')).toEqual([UNIT]);
    expect(bashComplete('daemon-deck status dd-complete-w')).toEqual([UNIT]);
    // A command that takes no id offers none.
    expect(bashComplete('daemon-deck list sys')).toEqual([]);
  });

  it('zsh: the script parses', () => {
    const script = execFileSync(process.execPath, [DAEMON_DECK_BIN, 'completion', 'zsh'], {
      env,
      encoding: 'utf8',
    });
    expect(script).toMatch(/^#compdef daemon-deck$/m);
    expect(script).toMatch(/compdef _daemon_deck daemon-deck/);
    // Without zsh installed, bash's parser stands in: the script uses no syntax the two disagree on.
    const shell = installed('zsh') ? 'zsh' : 'bash';
    const r = spawnSync(shell, ['-n'], { input: script, encoding: 'utf8' });
    expect([shell, r.status, r.stderr]).toEqual([shell, 0, '']);
  });

  it('fish: the script parses', () => {
    const script = execFileSync(process.execPath, [DAEMON_DECK_BIN, 'completion', 'fish'], {
      env,
      encoding: 'utf8',
    });
    expect(script).toMatch(/^complete -c daemon-deck /m);
    if (installed('fish')) {
      const r = spawnSync('fish', ['--no-execute'], { input: script, encoding: 'utf8' });
      expect([r.status, r.stderr]).toEqual([0, '']);
      return;
    }
    // Without fish: every block it opens (function, if, for, while, switch, begin) is closed.
    let depth = 0;
    for (const line of script.split('\n').map((l) => l.trim())) {
      if (/^(function|if|for|while|switch|begin)\b/.test(line)) depth++;
      if (/^end\b/.test(line)) depth--;
      expect(depth).toBeGreaterThanOrEqual(0);
    }
    expect(depth).toBe(0);
  });
});
