import type { JsonSchema } from '../contracts/common.ts';
import { SECRET_PATTERN } from '../webhooks/signing.ts';

/**
 * The configuration schema: every key, its type, default and description. It is the single source
 * for validation (ajv, with defaults applied), env-override coercion (the type of each key) and the
 * key table in docs/configuration.md (checked by a test).
 */
const str = (def: string | null, description: string, extra: JsonSchema = {}): JsonSchema => ({
  type: def === null ? ['string', 'null'] : 'string',
  default: def,
  description,
  ...extra,
});
const int = (def: number, description: string, min = 0, max?: number): JsonSchema => ({
  type: 'integer',
  default: def,
  minimum: min,
  ...(max === undefined ? {} : { maximum: max }),
  description,
});
const num = (def: number, description: string, min = 0): JsonSchema => ({
  type: 'number',
  default: def,
  minimum: min,
  description,
});
const bool = (def: boolean, description: string): JsonSchema => ({ type: 'boolean', default: def, description });
const strList = (description: string): JsonSchema => ({
  type: 'array',
  items: { type: 'string' },
  default: [],
  description,
});
const section = (properties: Record<string, JsonSchema>, description: string): JsonSchema => ({
  type: 'object',
  additionalProperties: false,
  default: {},
  description,
  properties,
});

export const CONFIG_SCHEMA: JsonSchema = section(
  {
    server: section(
      {
        host: str('0.0.0.0', 'Address the HTTP API listens on.'),
        port: int(9000, 'HTTP port.', 0, 65535),
        api_key: str(
          null,
          'API key clients must send. Generated and printed once at start in all-in-one mode when unset; required for `netpulse controller`.',
          { secret: true },
        ),
        api_key_name: str('X-API-KEY', 'Header, query parameter and cookie name carrying the API key.'),
        body_limit: int(1048576, 'Maximum request body in bytes (413 above).', 1024),
        request_timeout: int(60, 'Seconds before an HTTP request is aborted (0 = none).'),
        strict_requests: bool(
          false,
          'Reject (400) request keys the reference server would ignore (unknown top-level keys, unknown `connection_args` keys, pyeapi `driver_args` extras). By default they are ignored and listed in the response `warnings`.',
        ),
        state_dir: str(
          null,
          "Directory for SSH host keys (`known_hosts`) and pinned eAPI TLS certificates (`tls_known_hosts`). Default `$XDG_STATE_HOME/netpulse`, else `~/.local/state/netpulse`. A request's `known_hosts_file` must lie inside it.",
        ),
        ui: bool(true, 'Serve the web console at `/ui` (sign-in with the API key).'),
        secret_key: str(
          null,
          'Key sealing stored job requests (credentials) with AES-256-GCM: 32 bytes as 64 hex digits or base64. Generated and printed once in all-in-one mode when unset; required for `netpulse controller` and `netpulse worker`.',
          { secret: true },
        ),
        secret_key_previous: str(
          null,
          'Former `secret_key`, used only to open requests sealed before a key rotation.',
          { secret: true },
        ),
        gunicorn_worker: int(
          0,
          'Accepted for compatibility with the reference configuration; ignored (one Node.js process serves the API).',
        ),
        metrics_public: bool(false, "Serve `GET /metrics` (and a worker's metrics port) without the API key."),
      },
      'HTTP API.',
    ),
    job: section(
      {
        ttl: int(1800, 'Default queue-wait limit in seconds when a request sends `ttl: null`.', 1),
        timeout: int(300, 'Default `execution_timeout` in seconds: hard limit on running a job.', 1),
        result_ttl: int(300, 'Seconds finished and failed jobs and their results are kept.', 1),
      },
      'Job limits.',
    ),
    worker: section(
      {
        name: str(null, 'Node name (defaults to the hostname; the all-in-one server uses `<hostname>`).'),
        scheduler: str(
          'load_weighted_random',
          'Node-selection scheduler plugin for pinned hosts: greedy, least_load, least_load_random, load_weighted_random or a plugin of yours.',
        ),
        ttl: int(
          300,
          'Seconds a node stays alive without a heartbeat (reference semantics). Heartbeats are sent every `heartbeat_interval`.',
          1,
        ),
        heartbeat_interval: num(5, 'Seconds between node heartbeats.', 0.05),
        pinned_per_node: int(
          2048,
          'Pinned hosts (persistent sessions) one node may hold. An idle pinned SSH session costs about 60 KiB and one socket (the reference ships 32/128: one process per session there).',
          1,
        ),
        fifo_concurrency: int(64, 'FIFO jobs one node runs at once (async, never a process per job).', 1),
        idle_timeout: int(
          1800,
          'Seconds an idle pinned host keeps its session before it is closed and its capacity returns to the pool.',
          1,
        ),
        drain_timeout: int(30, 'Seconds a stopping node waits for running jobs before it gives up on them.', 0),
        metrics_port: int(
          0,
          "Port of the node's own `/metrics`, `/livez` and `/readyz` on a worker node; 0 = off.",
          0,
          65535,
        ),
        metrics_host: str('0.0.0.0', "Address the node's metrics port listens on."),
      },
      'Worker nodes.',
    ),
    drivers: section(
      {
        output: section(
          {
            max_command_bytes: int(
              16777216,
              'Largest output one command may produce (characters); more fails the job with `NP_ERR_OUTPUT_LIMIT`.',
              1024,
            ),
            max_job_bytes: int(
              67108864,
              'Largest output all commands of one job may produce together (characters).',
              1024,
            ),
          },
          'Device output caps (every driver).',
        ),
        paramiko: section(
          {
            transfer_dir: str(
              null,
              'Worker-side directory SFTP `file_transfer` may read from and write to (unset = file transfer refused).',
            ),
          },
          'paramiko (Linux over SSH) driver.',
        ),
      },
      'Driver settings.',
    ),
    broker: section(
      {
        fail_fast_timeout: num(
          3,
          'Seconds an API request waits for an unreachable broker before it answers 503 (`NP_ERR_BROKER_UNAVAILABLE`).',
          0.1,
        ),
        name: str(
          'memory',
          'Broker plugin: `memory` (embedded, single process) or `redis`. `netpulse controller` and `netpulse worker` always use redis.',
        ),
      },
      'Job broker.',
    ),
    redis: section(
      {
        host: str('localhost', 'Redis host.'),
        port: int(6379, 'Redis port.', 1, 65535),
        username: str(null, 'Redis ACL user.'),
        password: str(null, 'Redis password.', { secret: true }),
        db: int(0, 'Redis database number.', 0, 15),
        timeout: num(30, 'Connect timeout in seconds.'),
        keepalive: num(30, 'TCP keepalive delay in seconds (0 = off).'),
        tls: section(
          {
            enabled: bool(false, 'Connect with TLS.'),
            ca: str(null, 'CA certificate file.'),
            cert: str(null, 'Client certificate file.'),
            key: str(null, 'Client key file.'),
          },
          'Redis TLS.',
        ),
        sentinel: section(
          {
            enabled: bool(false, 'Discover the master through Sentinel.'),
            host: str('redis-sentinel', 'Sentinel host.'),
            port: int(26379, 'Sentinel port.', 1, 65535),
            master_name: str('mymaster', 'Sentinel master name.'),
            password: str(null, 'Sentinel password.', { secret: true }),
          },
          'Redis Sentinel.',
        ),
        key: section(
          {
            prefix: str('netpulse', 'Prefix of every NetPulse key.'),
            host_to_node_map: str('netpulse:host_to_node_map', 'Hash: pinned host → owning node.'),
            node_info_map: str('netpulse:node_info_map', 'Hash: node → NodeInfo JSON.'),
          },
          'Redis key names.',
        ),
      },
      'Redis connection (broker `redis`).',
    ),
    plugin: section(
      {
        modules: strList('Third-party plugin modules: file paths (relative to the config file) or package names.'),
        builtin: str('plugins/index.ts', 'Catalogue of built-in plugins (relative to the project root).'),
        driver: str(null, 'Reference-compatible directory of extra driver plugin modules.'),
        webhook: str(null, 'Reference-compatible directory of extra webhook plugin modules.'),
        template: str(null, 'Reference-compatible directory of extra template plugin modules.'),
        scheduler: str(null, 'Reference-compatible directory of extra scheduler plugin modules.'),
      },
      'Plugins.',
    ),
    templates: section(
      {
        dirs: strList('Directories `file://` sources and `include`/`import` may read from.'),
        ntc_dir: str(null, 'ntc-templates directory (with `index`) for `use_ntc_template`.'),
        ntc_release: str(
          'v9.2.0',
          'ntc-templates release tag `netpulse templates fetch ntc` installs (override with `--ref`).',
        ),
        ntc_url: str(
          'https://github.com/networktocode/ntc-templates/archive/refs/tags/{ref}.tar.gz',
          'Where `netpulse templates fetch ntc` downloads a release tarball; `{ref}` is replaced by the tag.',
        ),
        ttp_dir: str(null, 'TTP templates directory for `use_ttp_template`.'),
        remote_enabled: bool(false, 'Allow `http(s)://` template sources.'),
        remote_timeout: num(5, 'Seconds to fetch a remote template.'),
        remote_max_bytes: int(1048576, 'Largest remote template in bytes.', 1),
        remote_allow_hosts: strList(
          'Hosts, IPs or CIDRs remote templates may come from even when they resolve to loopback, link-local, unspecified or multicast addresses (other addresses are always allowed).',
        ),
        sandbox: section(
          {
            timeout_ms: int(
              10000,
              'Wall-clock limit of one render or parse, in ms; the sandbox process is killed at the limit.',
              50,
            ),
            memory_mb: int(256, 'Heap limit of each template sandbox process, in MiB.', 32),
            processes: int(2, 'Template sandbox processes (started on first use).', 1, 64),
            queue: int(256, 'Renders/parses that may wait for a sandbox process before new ones get 429.', 1),
            max_result_bytes: int(16777216, 'Largest rendered text or serialised parse result, in bytes.', 1024),
          },
          'Sandbox every template, JSONata expression and template regex runs in.',
        ),
        jsonata: section(
          {
            timeout_ms: int(2000, 'Longest a JSONata expression may evaluate, in ms.', 1),
            max_depth: int(500, 'Deepest JSONata evaluation stack.', 1),
          },
          'JSONata parser limits.',
        ),
      },
      'Template sources and libraries.',
    ),
    webhook: section(
      {
        retries: int(3, 'Extra delivery attempts on network errors, 5xx and 429.'),
        backoff_ms: int(500, 'First retry delay in ms (doubles each attempt).'),
        max_delay_ms: int(30000, 'Longest wait between attempts in ms, including a `Retry-After` the target asks for.'),
        allow_hosts: strList(
          'Hosts, IPs or CIDRs webhooks may target. Loopback, link-local (incl. 169.254.169.254), unspecified and multicast targets are refused unless listed; other addresses are allowed when the list is empty.',
        ),
        signing_secret: str(
          null,
          'Standard Webhooks secret (`whsec_<base64>`) signing every event whose request names none.',
          { secret: true, pattern: SECRET_PATTERN },
        ),
        signing_secret_previous: str(null, 'Previous secret while rotating: events carry a signature with each.', {
          secret: true,
          pattern: SECRET_PATTERN,
        }),
        log_max: int(1000, 'Delivery log: most records kept per status (delivered, failed) in the broker.', 1),
        log_max_age: int(604800, 'Delivery log: seconds a record (and a dead letter) is kept.', 60),
      },
      'Webhook delivery.',
    ),
    telemetry: section(
      {
        otlp_endpoint: str(
          null,
          'OTLP/HTTP endpoint (e.g. `http://collector:4318`) receiving traces as JSON; unset = tracing off.',
        ),
        service_name: str('netpulse', 'OpenTelemetry `service.name` of this process.'),
        export_interval_ms: int(1000, 'Longest a finished span waits before it is exported, in ms.', 10),
      },
      'OpenTelemetry traces.',
    ),
    log: section(
      {
        level: str('info', 'Log level.', {
          enum: [
            'fatal',
            'error',
            'warn',
            'info',
            'debug',
            'trace',
            'silent',
            'FATAL',
            'ERROR',
            'WARNING',
            'WARN',
            'INFO',
            'DEBUG',
            'TRACE',
          ],
        }),
        config: str(null, 'Accepted for compatibility with the reference configuration; ignored.'),
        pretty: bool(false, 'Human-readable single-line logs instead of JSON.'),
      },
      'Logging (pino, JSON lines; secrets are always redacted).',
    ),
  },
  'NetPulse configuration.',
);

/** Keys whose values are secrets: masked by `config print` and never logged. */
export function secretKeyPaths(schema: JsonSchema = CONFIG_SCHEMA, prefix: string[] = []): string[][] {
  const out: string[][] = [];
  const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
  for (const [k, s] of Object.entries(props)) {
    if (s.secret === true) out.push([...prefix, k]);
    if (s.type === 'object') out.push(...secretKeyPaths(s, [...prefix, k]));
  }
  return out;
}
