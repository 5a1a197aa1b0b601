/**
 * The Run page's device list parser (web/src/devices.ts): plain lines, host:port, CSV with a header,
 * quoting, errors.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDevices } from '../../../web/src/devices.ts';

describe('web console: parseDevices', () => {
  it('reads one host per line, with an optional port', () => {
    const r = parseDevices('10.0.0.1\n10.0.0.2:2222\n\n# a comment\n10.0.0.3, 22\n[2001:db8::1]:830\n');
    assert.deepEqual(r.devices, [
      { host: '10.0.0.1' },
      { host: '10.0.0.2', port: 2222 },
      { host: '10.0.0.3', port: 22 },
      { host: '2001:db8::1', port: 830 },
    ]);
    assert.deepEqual(r.errors, []);
  });

  it('reads CSV with a header row; columns pass through, quoted cells keep commas and quotes', () => {
    const r = parseDevices(
      'host,port,device_type,password\r\n10.0.0.1,22,cisco_ios,"p,a""ss"\r\n10.0.0.2,,arista_eos,\r\n',
    );
    assert.deepEqual(r.devices, [
      { host: '10.0.0.1', port: 22, device_type: 'cisco_ios', password: 'p,a"ss' },
      { host: '10.0.0.2', device_type: 'arista_eos' },
    ]);
  });

  it('reports rows without a host and bad ports by row number', () => {
    const r = parseDevices('host,port\n10.0.0.1,abc\n,22\n');
    assert.deepEqual(r.errors, ['row 2: port must be a number', 'row 3: no host']);
    assert.deepEqual(r.devices, []);
    assert.equal(parseDevices('a b c').devices.length, 0);
    assert.deepEqual(parseDevices('host\n"10.0.0.1').errors, ['CSV: unterminated quoted field']);
    assert.deepEqual(parseDevices('').devices, []);
  });
});
