import { defineConfig } from './core/config/define.ts';

/**
 * NetPulse configuration. Every key and its default is in docs/configuration.md; only what you set
 * here overrides the defaults. A YAML file named by NETPULSE_CONFIG_FILE (the reference
 * `config/config.yaml` shape), `.env` and `NETPULSE_<SECTION>__<KEY>` env variables override this
 * file in that order (env wins).
 */
export default defineConfig({
  server: { host: '0.0.0.0', port: 9000, api_key_name: 'X-API-KEY' },
  job: { ttl: 1800, timeout: 300, result_ttl: 300 },
  worker: { scheduler: 'load_weighted_random', ttl: 300, pinned_per_node: 2048 },
  broker: { name: 'memory' },
  redis: { host: 'localhost', port: 6379 },
  plugin: {
    // Third-party plugins: file paths (relative to this file) or package names, e.g.
    // modules: ['./my-plugins/acme-driver.ts', '@acme/netpulse-scheduler'],
    modules: [],
  },
  templates: { dirs: [] },
  log: { level: 'info' },
});
