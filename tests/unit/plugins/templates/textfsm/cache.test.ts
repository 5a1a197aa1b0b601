import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TemplateCache } from '../../../../../plugins/templates/textfsm/cache.ts';

const template = (i: number): string => `Value X${i} (\\S+)\n\nStart\n  ^\${X${i}} -> Record\n`;

describe('TemplateCache', () => {
  it('keeps a working set larger than 512 templates compiled (a cyclic pass hits every time)', () => {
    const cache = new TemplateCache();
    const first = Array.from({ length: 800 }, (_, i) => cache.get(template(i)));
    for (let i = 0; i < 800; i++) assert.equal(cache.get(template(i)), first[i], `template ${i} was recompiled`);
    assert.equal(cache.size, 800);
  });

  it('is bounded by the characters of source it holds', () => {
    const size = template(0).length;
    const cache = new TemplateCache(4096, size * 10);
    for (let i = 0; i < 100; i++) cache.get(template(i));
    assert.ok(cache.size <= 10, `${cache.size} entries`);
    // The most recently used stay.
    const recent = cache.get(template(99));
    assert.equal(cache.get(template(99)), recent);
  });

  it('compiles a template larger than the whole budget without keeping it', () => {
    const cache = new TemplateCache(4096, 10);
    cache.get(template(1));
    assert.equal(cache.size, 0);
  });
});
