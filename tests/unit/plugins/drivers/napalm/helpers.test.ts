/** NAPALM's value conventions as the getters use them. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  asNumber,
  canonicalInterfaceName,
  CISCO_SANITIZE_FILTERS,
  ip,
  mac,
  macOrSelf,
  sanitizeConfig,
  transformLldpCapab,
} from '../../../../../plugins/drivers/napalm/getters/helpers.ts';
import { parseUptime } from '../../../../../plugins/drivers/napalm/getters/ios/facts.ts';
import { bgpTimeConversion } from '../../../../../plugins/drivers/napalm/getters/ios/bgp.ts';
import { sortedNicely } from '../../../../../plugins/drivers/napalm/getters/eos/index.ts';

describe('napalm helpers', () => {
  it('mac: every EUI-48 spelling becomes 01:23:45:67:89:AB; anything else throws', () => {
    for (const raw of ['0123.4567.89ab', '01-23-45-67-89-ab', '01:23:45:67:89:AB', '0123456789ab', '012345-6789ab']) {
      assert.equal(mac(raw), '01:23:45:67:89:AB', raw);
    }
    assert.equal(mac('1:2:3:4:5:6'), '01:02:03:04:05:06');
    assert.throws(() => mac('hmbbkku-la'));
    assert.equal(macOrSelf('port-001'), 'port-001');
  });

  it('ip: canonical IPv4 and compressed lower-case IPv6, scope kept, version checked', () => {
    assert.equal(ip('2001:DB8:0:0:0:0:0:1'), '2001:db8::1');
    assert.equal(ip('fe80::1%Ethernet1'), 'fe80::1%Ethernet1');
    assert.equal(ip('::ffff:192.0.2.1'), '::ffff:192.0.2.1');
    assert.equal(ip('64:ff9b::192.0.2.1'), '64:ff9b::c000:201');
    assert.equal(ip('2001:db8:0:1:0:0:0:0'), '2001:db8:0:1::');
    assert.equal(ip('10.0.0.1', 4), '10.0.0.1');
    assert.throws(() => ip('2001:db8::1', 4));
    assert.throws(() => ip('not-an-ip'));
  });

  it('asNumber, interface long names, LLDP capabilities, uptimes', () => {
    assert.equal(asNumber('1.10'), 65546);
    assert.equal(asNumber('65000'), 65000);
    assert.equal(canonicalInterfaceName('Gi0/1'), 'GigabitEthernet0/1');
    assert.equal(canonicalInterfaceName('Te1/1/14'), 'TenGigabitEthernet1/1/14');
    assert.equal(canonicalInterfaceName('Po10'), 'Port-channel10');
    assert.equal(canonicalInterfaceName('weird0'), 'weird0');
    assert.deepEqual(transformLldpCapab('R,B'), ['bridge', 'router']);
    assert.deepEqual(transformLldpCapab(''), []);
    assert.equal(parseUptime('1 year, 2 weeks, 3 days, 4 hours, 5 minutes'), 31536000 + 1209600 + 259200 + 14400 + 300);
    assert.equal(bgpTimeConversion('1d11h'), 86400 + 11 * 3600);
    assert.equal(bgpTimeConversion('never'), -1);
    assert.deepEqual(sortedNicely(['Ethernet10', 'Ethernet2', 'Ethernet1', 'Management1']), [
      'Ethernet1',
      'Ethernet2',
      'Ethernet10',
      'Management1',
    ]);
  });

  it('sanitize: Cisco rules remove secrets and keep the structure', () => {
    const cfg = [
      'enable secret 5 $1$abc',
      'username bob privilege 15 secret 9 $9$xyz',
      'snmp-server community public RO',
      ' password 7 0822455D0A16',
    ].join('\n');
    assert.equal(
      sanitizeConfig(cfg, CISCO_SANITIZE_FILTERS),
      [
        'enable secret 5 <removed>',
        'username bob privilege 15 secret 9 <removed>',
        'snmp-server community <removed>',
        ' password <removed>',
      ].join('\n'),
    );
  });
});
