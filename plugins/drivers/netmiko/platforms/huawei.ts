import { COMMON_PAGING_PROMPTS, definePlatform, type PlatformDefinition } from './types.ts';

/**
 * Huawei VRP (netmiko `huawei/huawei.py`, scrapli `huawei_vrp.yaml`). User view `<host>` is the
 * privileged mode (no enable); system view `[host]`, `[host-GigabitEthernet0/0/1]`, VRPv8
 * `[~host]`/`[*host]` is config mode. Huawei's documentation quotes `hrp_[a|m|s]`, a character class
 * that also matches `|`; the intent (USG HA prefixes HRP_A/M/S) is written `[ams]` here.
 */
export const HUAWEI_PROMPTS = {
  privileged: /^(?:hrp_[ams])?<[a-z0-9.\-_@()/:]{1,48}>\s*$/i,
  // Version lines in `display current-configuration` (`[V200R009C00SPC500]`) are not prompts.
  config: /^(?!\[V\d{3}R\d{3}C\d{2,3}.*\])(?:hrp_[ams])?\[~?\*?[a-z0-9.\-_@/:]{1,64}\]\s*$/i,
};

/** Base prompt: without the HRP_x prefix, the first bracket and the terminator (`<r1>` → `r1`). */
export function huaweiBasePrompt(promptLine: string): string {
  return promptLine
    .trim()
    .replace(/^(?:hrp_[ams])?[<[]~?\*?/i, '')
    .replace(/[>\]]$/, '');
}

export function huaweiLike(name: string, aliases: string[], commit: PlatformDefinition['commit']): PlatformDefinition {
  return definePlatform({
    name,
    aliases,
    parserPlatform: 'huawei_vrp',
    prompts: HUAWEI_PROMPTS,
    basePrompt: huaweiBasePrompt,
    newline: '\n',
    pty: { cols: 511, rows: 1000 },
    loginAnswers: [
      { pattern: /(?:Change now|Please choose)/, answer: 'N\n' },
      { pattern: /security risks in the configuration file[^\n]*\[y\/n\]/i, answer: 'Y\n' },
    ],
    onOpen: [{ command: 'screen-length 0 temporary' }],
    enable: null,
    config: { enter: 'system-view', exit: ['return'], exitAnswers: [] },
    failureIndicators: ['Error:'],
    save: {
      command: 'save',
      confirmations: [{ pattern: /[Cc]ontinue\?/, answer: 'y\n' }],
      failureIndicators: ['Error:'],
      timeoutMs: 100_000,
    },
    commit,
    pagingPrompts: COMMON_PAGING_PROMPTS,
    contextLineFilters: [],
    logout: 'quit',
  });
}

export default huaweiLike('huawei', ['huawei_vrp'], null);
