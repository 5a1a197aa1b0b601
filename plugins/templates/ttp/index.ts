import { definePlugin } from '../../../core/plugin/define.ts';
import { TtpParser } from './plugin.ts';
import { TtpEngine } from './engine.ts';

export { TtpEngine, type Structure } from './engine.ts';
export { TtpParser } from './plugin.ts';
export { PATTERNS, getPattern } from './patterns.ts';
export { MATCH_FUNCTIONS } from './functions.ts';
export { GROUP_FUNCTIONS } from './group-functions.ts';

/**
 * Runs one template/data pair the way the conformance corpus defines it:
 * `ttp(data=data, template=template).parse(); result()` (structure "list").
 * Empty `data` means the template carries its own `<input>` data.
 */
export function runTtpCase(template: string, data: string): unknown {
  const engine = new TtpEngine(template);
  if (data !== '') engine.addInput(data);
  engine.parse();
  return engine.result('list');
}

export default definePlugin({
  kind: 'parser',
  name: 'ttp',
  version: '1.0.0',
  description: 'TTP (Template Text Parser) compatible parser',
  register: () => new TtpParser(),
});
