import { huaweiLike } from './huawei.ts';

/** Huawei VRPv8: the VRP CLI with a candidate configuration committed from system view. */
export default huaweiLike('huawei_vrpv8', [], {
  command: 'commit',
  failureIndicators: ['Failed to generate committed config', 'Error:'],
  confirmations: [],
  discard: null,
  timeoutMs: 120_000,
});
