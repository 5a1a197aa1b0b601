import type { TestServer } from '../helpers/server.ts';

/**
 * Runs `attack` while polling /health every 50 ms; returns the attack's answer, how long it took
 * and the slowest /health answer seen meanwhile (the event loop must never block long enough to
 * delay it past a second).
 */
export async function underAttack<T>(
  s: TestServer,
  attack: () => Promise<T>,
): Promise<{ result: T; ms: number; worstHealthMs: number }> {
  let worst = 0;
  let running = true;
  const poll = (async () => {
    while (running) {
      const t0 = performance.now();
      await s.call('GET', '/health');
      worst = Math.max(worst, performance.now() - t0);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const t0 = performance.now();
  try {
    const result = await attack();
    return { result, ms: performance.now() - t0, worstHealthMs: worst };
  } finally {
    running = false;
    await poll;
  }
}
