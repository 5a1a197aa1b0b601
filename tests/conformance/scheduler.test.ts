import { runSchedulerConformance, seededRandom } from './scheduler.ts';
import { GreedySelector } from '../../plugins/schedulers/greedy/index.ts';
import { LeastLoadSelector } from '../../plugins/schedulers/least_load/index.ts';
import { LeastLoadRandomSelector } from '../../plugins/schedulers/least_load_random/index.ts';
import { LoadWeightedRandomSelector } from '../../plugins/schedulers/load_weighted_random/index.ts';
import { RoundRobinSelector } from '../fixtures/plugins/round-robin-scheduler.ts';

runSchedulerConformance('greedy', () => new GreedySelector(), { deterministic: true });
runSchedulerConformance('least_load', () => new LeastLoadSelector(), { deterministic: true });
// The random selectors are deterministic once their RNG is seeded.
runSchedulerConformance('least_load_random', () => new LeastLoadRandomSelector({ random: seededRandom(7) }), {
  deterministic: true,
});
runSchedulerConformance('load_weighted_random', () => new LoadWeightedRandomSelector({ random: seededRandom(7) }), {
  deterministic: true,
});
// And with the production default (Math.random) the contract still holds.
runSchedulerConformance('least_load_random', () => new LeastLoadRandomSelector(), { runs: 100 });
runSchedulerConformance('load_weighted_random', () => new LoadWeightedRandomSelector(), { runs: 100 });
// The third-party-style example must satisfy the same contract.
runSchedulerConformance('round_robin', () => new RoundRobinSelector(), { deterministic: true });
