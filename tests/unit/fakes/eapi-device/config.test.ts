import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigTree, unifiedDiff } from '../../../fakes/eapi-device/config.ts';

describe('eapi-device: config tree', () => {
  it('parses and renders running-config text, keeping sections and order', () => {
    const text =
      'hostname a\n!\ninterface Ethernet2\n!\ninterface Ethernet10\n   description x\n!\ninterface Ethernet1\n!\nip route 0.0.0.0/0 1.1.1.1\n!\nend\n';
    const t = ConfigTree.parse(text);
    assert.deepEqual(
      t.entries.map((e) => e.line),
      [
        'hostname a',
        'interface Ethernet1',
        'interface Ethernet2',
        'interface Ethernet10',
        'ip route 0.0.0.0/0 1.1.1.1',
      ],
    );
    assert.equal(
      t.render([]),
      'hostname a\n!\ninterface Ethernet1\n!\ninterface Ethernet2\n!\ninterface Ethernet10\n   description x\n!\nip route 0.0.0.0/0 1.1.1.1\n!\nend\n',
    );
    assert.equal(ConfigTree.parse(t.render(['! Command: show running-config'])).render([]), t.render([]));
  });

  it('unified diff has hunk headers and 3 lines of context', () => {
    const a = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    const b = ['a', 'b', 'c', 'd', 'E', 'f', 'g', 'h'];
    assert.equal(unifiedDiff(a, b, 'x', 'y'), '--- x\n+++ y\n@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n');
    assert.equal(unifiedDiff(a, a, 'x', 'y'), '');
  });
});
