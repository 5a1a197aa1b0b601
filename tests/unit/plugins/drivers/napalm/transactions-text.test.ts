/**
 * The text transformations of the napalm transactions: EOS candidate → eAPI commands (comments
 * dropped, heredocs as input, indentation that closes a section becomes `exit`), IOS TCL quoting,
 * and the contextual diff used for IOS-XR.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contextualDiff } from '../../../../../plugins/drivers/napalm/transactions/block-diff.ts';
import { eosCommands } from '../../../../../plugins/drivers/napalm/transactions/eos.ts';
import { tclQuote } from '../../../../../plugins/drivers/napalm/transactions/ios.ts';

describe('napalm transactions: candidate text', () => {
  it('eos: drops ! comments and end, sends banners as input, closes sections with exit', () => {
    const config = [
      '! Command: show running-config',
      'hostname sw9',
      '!',
      'interface Ethernet1',
      '   description up',
      'interface Ethernet2',
      'ip routing',
      'router bgp 65001',
      '   neighbor 192.0.2.2 remote-as 65002',
      '   address-family ipv4',
      '      neighbor 192.0.2.2 activate',
      'banner motd',
      'hello',
      '  world',
      'EOF',
      '!! a mode comment is kept',
      'end',
    ].join('\n');
    assert.deepEqual(eosCommands(config), [
      'hostname sw9',
      'interface Ethernet1',
      'description up',
      'exit',
      'interface Ethernet2',
      'exit',
      'ip routing',
      'router bgp 65001',
      'neighbor 192.0.2.2 remote-as 65002',
      'address-family ipv4',
      'neighbor 192.0.2.2 activate',
      'exit',
      'exit',
      { cmd: 'banner motd', input: 'hello\n  world' },
      '!! a mode comment is kept',
    ]);
  });

  it('ios: TCL words write the line back exactly', () => {
    assert.equal(tclQuote(' description uplink'), '{ description uplink}');
    assert.equal(tclQuote('banner motd ^C {x'), '"banner motd ^C \\{x"');
    assert.equal(tclQuote('a "q" $v [c] \\'), '"a \\"q\\" \\$v \\[c\\] \\\\"');
    assert.equal(tclQuote(''), '{}');
  });

  it('contextual diff: additions then removals, under their section lines', () => {
    const running = [
      'Mon Jan  1 00:00:00.000 UTC',
      'Building configuration...',
      '!! IOS XR',
      'hostname R1',
      '!',
      'interface Gi0',
      ' description a',
      ' shutdown',
      '!',
      'router static',
      ' address-family ipv4 unicast',
      '  0.0.0.0/0 192.0.2.1',
      '!',
      'end',
    ].join('\n');
    const target = 'hostname R2\ninterface Gi0\n description b\n shutdown\ninterface Gi1\n description new';
    assert.equal(
      contextualDiff(running, target),
      [
        '+hostname R2',
        'interface Gi0',
        ' +description b',
        '+interface Gi1',
        ' +description new',
        '-hostname R1',
        'interface Gi0',
        ' -description a',
        '-router static',
        ' -address-family ipv4 unicast',
        '  -0.0.0.0/0 192.0.2.1',
      ].join('\n'),
    );
    assert.equal(contextualDiff(running, running), '');
  });
});
