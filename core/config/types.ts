/** The effective configuration (after defaults, file, .env and env overrides). Mirrors schema.ts. */
export interface NetPulseConfig {
  server: {
    host: string;
    port: number;
    api_key: string | null;
    api_key_name: string;
    body_limit: number;
    request_timeout: number;
    strict_requests: boolean;
    state_dir: string | null;
    ui: boolean;
    secret_key: string | null;
    secret_key_previous: string | null;
    gunicorn_worker: number;
    metrics_public: boolean;
  };
  job: { ttl: number; timeout: number; result_ttl: number };
  worker: {
    name: string | null;
    scheduler: string;
    ttl: number;
    heartbeat_interval: number;
    pinned_per_node: number;
    fifo_concurrency: number;
    idle_timeout: number;
    drain_timeout: number;
    metrics_port: number;
    metrics_host: string;
  };
  drivers: { output: { max_command_bytes: number; max_job_bytes: number }; paramiko: { transfer_dir: string | null } };
  broker: { fail_fast_timeout: number; name: string };
  redis: {
    host: string;
    port: number;
    username: string | null;
    password: string | null;
    db: number;
    timeout: number;
    keepalive: number;
    tls: { enabled: boolean; ca: string | null; cert: string | null; key: string | null };
    sentinel: { enabled: boolean; host: string; port: number; master_name: string; password: string | null };
    key: { prefix: string; host_to_node_map: string; node_info_map: string };
  };
  plugin: {
    modules: string[];
    builtin: string;
    driver: string | null;
    webhook: string | null;
    template: string | null;
    scheduler: string | null;
  };
  templates: {
    dirs: string[];
    ntc_dir: string | null;
    ntc_release: string;
    ntc_url: string;
    ttp_dir: string | null;
    remote_enabled: boolean;
    remote_timeout: number;
    remote_max_bytes: number;
    remote_allow_hosts: string[];
    sandbox: { timeout_ms: number; memory_mb: number; processes: number; queue: number; max_result_bytes: number };
    jsonata: { timeout_ms: number; max_depth: number };
  };
  webhook: {
    retries: number;
    backoff_ms: number;
    max_delay_ms: number;
    allow_hosts: string[];
    signing_secret: string | null;
    signing_secret_previous: string | null;
    log_max: number;
    log_max_age: number;
  };
  telemetry: { otlp_endpoint: string | null; service_name: string; export_interval_ms: number };
  log: { level: string; config: string | null; pretty: boolean };
}

type DeepPartial<T> = {
  [K in keyof T]?: T[K] extends object ? (T[K] extends unknown[] ? T[K] : DeepPartial<T[K]>) : T[K];
};
export type NetPulseConfigInput = DeepPartial<NetPulseConfig>;
