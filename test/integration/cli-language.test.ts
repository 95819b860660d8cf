// The CLI speaks the user's language (issue 13): help, commander's own errors and messages come
// from the `cli` catalogs in English or Korean, picked by LANGUAGE, LC_ALL, LC_MESSAGES and LANG
// or by the settings' choice; JSON output is the same bytes in every language. Run as a user runs
// it (bin/daemon-deck.js, built) against the sandbox's systemd.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../harness/sandbox.js';
import { sleeperUnit } from '../helpers/units.js';
import { runCli } from '../helpers/cli.js';

const UNIT = 'dd-lang-web.service';
const HANGUL = /[\uac00-\ud7a3]/;

describe('the CLI in Korean and English', () => {
  let sb: Sandbox;
  const locale = (vars: NodeJS.ProcessEnv) => {
    const env = { ...sb.env };
    for (const k of ['LANGUAGE', 'LC_ALL', 'LC_MESSAGES', 'LANG']) delete env[k];
    return { ...env, ...vars };
  };
  const ko = () => locale({ LANG: 'ko_KR.UTF-8' });
  const c = () => locale({ LANG: 'C' });

  beforeAll(async () => {
    sb = await startSandbox({ label: 'cli-language' });
    await sb.writeUnit(UNIT, sleeperUnit('A unit in two languages'));
    await sb.daemonReload();
    expect((await sb.systemctl('start', UNIT)).code).toBe(0);
    // A failed unit: the core words why it stopped, and under --json those words stay English.
    await sb.writeUnit(
      'dd-lang-fails.service',
      '[Unit]\nDescription=Fails at once\n[Service]\nType=exec\nExecStart=/bin/sh -c "exit 3"\n',
    );
    await sb.daemonReload();
    await sb.systemctl('start', 'dd-lang-fails.service');
  });
  afterAll(async () => {
    await sb?.stop();
  });

  it('LANG=ko_KR.UTF-8 daemon-deck --help is Korean; LANG=C is English', async () => {
    const korean = await runCli(ko(), '--help');
    expect(korean.code).toBe(0);
    expect(korean.stdout).toMatch(/^사용법: daemon-deck 명령 \[옵션\]$/m);
    expect(korean.stdout).toMatch(/^명령:$/m);
    expect(korean.stdout).not.toMatch(/Usage:|Commands:|from the command line/);
    // Every command's summary line (the indented one below its forms) is Korean.
    const summaries = korean.stdout.split('\n').filter((l) => l.startsWith('      '));
    expect(summaries.length).toBeGreaterThan(20);
    for (const line of summaries) expect(line).toMatch(HANGUL);

    const english = await runCli(c(), '--help');
    expect(english.code).toBe(0);
    expect(english.stdout).toMatch(/^Usage: daemon-deck COMMAND \[OPTIONS\]$/m);
    expect(english.stdout).not.toMatch(HANGUL);
    // The same commands, in the same order, in both.
    const forms = (text: string) => text.split('\n').filter((l) => /^ {2}[a-z]/.test(l));
    expect(forms(korean.stdout)).toEqual(forms(english.stdout));
  });

  it("commander's own words: a command's help, an unknown option, a missing value", async () => {
    const help = await runCli(ko(), 'status', '--help');
    expect(help.stdout).toMatch(/^사용법: daemon-deck status ID \[--json\]$/m);
    expect(help.stdout).toMatch(/^옵션:$/m);
    expect(help.stdout).toMatch(/-h, --help {2}명령의 도움말을 봅니다/);
    expect(help.stdout).not.toMatch(/Usage|Options|display help/);

    const bad = await runCli(ko(), 'list', '--bogus');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      "daemon-deck: 알 수 없는 옵션입니다: '--bogus'\n사용법은 'daemon-deck --help'로 확인하세요.\n",
    );
    const badC = await runCli(c(), 'list', '--bogus');
    expect(badC.stderr).toBe(
      "daemon-deck: unknown option '--bogus'\nRun 'daemon-deck --help' for usage.\n",
    );
    const unknown = await runCli(ko(), 'frobnicate');
    expect([unknown.code, unknown.stderr.split('\n')[0]]).toEqual([
      2,
      'daemon-deck: 알 수 없는 명령입니다: "frobnicate"',
    ]);
    const missing = await runCli(ko(), 'logs', UNIT, '-n');
    expect(missing.stderr).toMatch(
      /^daemon-deck: '-n, --lines <value>' 옵션에는 값이 필요합니다$/m,
    );
  });

  it('LANGUAGE wins over LANG, but not under the C locale; the settings choose over both', async () => {
    const viaLanguage = await runCli(locale({ LANGUAGE: 'ko', LANG: 'en_US.UTF-8' }), '--help');
    expect(viaLanguage.stdout).toMatch(/^사용법:/);
    const cLocale = await runCli(locale({ LANGUAGE: 'ko', LC_ALL: 'C' }), '--help');
    expect(cLocale.stdout).toMatch(/^Usage:/);
    // The settings' language, in the settings.json the app and the CLI share.
    const dir = join(sb.root, 'settings-ko');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ language: 'ko' }));
    const chosen = await runCli(locale({ LANG: 'C', DAEMON_DECK_CONFIG_DIR: dir }), 'status', UNIT);
    expect(chosen.code).toBe(0);
    expect(chosen.stdout).toMatch(/^이름: +dd-lang-web\.service$/m);
  });

  it('status reads in the language; --json output is identical in both', async () => {
    const korean = await runCli(ko(), 'status', UNIT);
    expect(korean.code).toBe(0);
    expect(korean.stdout).toMatch(/^상태: +running \(active\/running\)$/m);
    expect(korean.stdout).toMatch(/^설명: +A unit in two languages$/m);
    const english = await runCli(c(), 'status', UNIT);
    expect(english.stdout).toMatch(/^State: +running \(active\/running\)$/m);

    for (const args of [
      ['status', UNIT, '--json'],
      ['status', 'dd-lang-fails.service', '--json'],
      ['list', '--kind', 'service', '--json'],
    ]) {
      const [k, e] = [await runCli(ko(), ...args), await runCli(c(), ...args)];
      expect([args, k.code, e.code]).toEqual([args, 0, 0]);
      expect(k.stdout).not.toMatch(HANGUL);
      expect(k.stdout).toBe(e.stdout);
    }
  });
});

// Every command's --help, in both languages: the Korean help has no English sentence (four or
// more English words in a row, as commander's own "display help for the command" or a summary
// that fell back to the code's English) and no raw catalog key; the C locale's has no Korean.
describe("every command's --help in Korean and English", () => {
  const helpEnv = (lang: string): NodeJS.ProcessEnv => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      LANG: lang,
      DAEMON_DECK_CONFIG_DIR: '/nonexistent/dd-help',
    };
    for (const k of ['LANGUAGE', 'LC_ALL', 'LC_MESSAGES']) delete env[k];
    return env;
  };
  const ENGLISH_SENTENCE = /\b[A-Za-z]{2,}(?: [A-Za-z]{2,}){3,}\b/;
  const RAW_KEY = /\b(?:cli|common|errors|commander):[A-Za-z]+\.[\w.]+/;

  it('lists the commands, and each one answers --help in the language', async () => {
    const top = await runCli(helpEnv('C'), '--help');
    const names = [
      ...new Set(top.stdout.split('\n').flatMap((l) => /^ {2}([a-z][\w-]*)/.exec(l)?.[1] ?? [])),
    ];
    expect(names.length).toBeGreaterThan(25);
    const problems: string[] = [];
    for (const name of names) {
      const [ko, en] = [
        await runCli(helpEnv('ko_KR.UTF-8'), name, '--help'),
        await runCli(helpEnv('C'), name, '--help'),
      ];
      if (ko.code !== 0 || en.code !== 0) problems.push(`${name}: exit ${ko.code}/${en.code}`);
      if (!/^사용법: daemon-deck /m.test(ko.stdout)) problems.push(`${name}: no 사용법 line`);
      if (!/^Usage: daemon-deck /m.test(en.stdout)) problems.push(`${name}: no Usage line`);
      if (HANGUL.test(en.stdout)) problems.push(`${name}: Korean under LANG=C`);
      // The prose: every line but the usage forms and the option names themselves.
      const prose = ko.stdout
        .split('\n')
        .filter((l) => !/^(사용법: )?daemon-deck /.test(l) && !/^ {2}-/.test(l))
        .concat(ko.stdout.split('\n').flatMap((l) => /^ {2}-\S.*? {2,}(.*)$/.exec(l)?.[1] ?? []));
      if (!prose.some((l) => HANGUL.test(l))) problems.push(`${name}: no Korean summary`);
      for (const line of prose) {
        const bare = line.replace(/<\([^)]*\)/g, '');
        if (ENGLISH_SENTENCE.test(bare)) problems.push(`${name}: English in "${line.trim()}"`);
        if (RAW_KEY.test(line)) problems.push(`${name}: raw key in "${line.trim()}"`);
      }
      // The same forms in both languages.
      const forms = (text: string) =>
        text.split('\n').flatMap((l) => /^(?:사용법|Usage): (daemon-deck .*)$/.exec(l)?.[1] ?? []);
      if (forms(ko.stdout).join('\n') !== forms(en.stdout).join('\n'))
        problems.push(`${name}: usage forms differ`);
    }
    expect(problems).toEqual([]);
  }, 120_000);
});
