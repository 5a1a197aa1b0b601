/**
 * Preloaded into the server by scripts/attack/main.ts (`--import`): measures the event loop's
 * delay with perf_hooks and reports it with the process RSS on stderr every 2 s, as
 * `ATTACK-PROBE {"maxMs":…,"p99Ms":…,"rssMb":…,"heapMb":…,"externalMb":…}` (then resets the histogram).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

const h = monitorEventLoopDelay({ resolution: 10 });
h.enable();
setInterval(() => {
  const m = process.memoryUsage();
  const line = {
    maxMs: h.max / 1e6,
    p99Ms: h.percentile(99) / 1e6,
    rssMb: m.rss / 1048576,
    heapMb: m.heapUsed / 1048576,
    externalMb: (m.external + m.arrayBuffers) / 1048576,
  };
  process.stderr.write(`ATTACK-PROBE ${JSON.stringify(line)}\n`);
  h.reset();
}, 2000).unref();
