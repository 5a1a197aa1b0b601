import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { startNetPulse, type NetPulse, type Role } from '../app/bootstrap.ts';
import type { NetPulseConfigInput } from '../config/types.ts';
import { loadConfig } from '../config/load.ts';
import { maskConfig } from './mask.ts';
import { NetPulseError } from '../errors.ts';
import { addConfigFlags, configFileFlag, flagOverrides } from './options.ts';
import { fetchNtcTemplates } from '../templates/fetch-ntc.ts';
import { setStateDir, stateDir } from '../state/dir.ts';
import { forgetHost } from '../state/forget.ts';
import { registerClientCommands } from './client/index.ts';

const PACKAGE = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command();
program
  .name('netpulse')
  .description('NetPulse network-automation controller')
  .version(PACKAGE.version, '-V, --version', 'print the NetPulse version')
  .showHelpAfterError();

/** Environment for the loader: `--config FILE` wins over NETPULSE_CONFIG_FILE. */
function envWith(cmd: Command): NodeJS.ProcessEnv {
  const file = configFileFlag(cmd);
  return file ? { ...process.env, NETPULSE_CONFIG_FILE: file } : process.env;
}

async function run(role: Role, cmd: Command): Promise<void> {
  let np: NetPulse;
  try {
    np = await startNetPulse({ role, env: envWith(cmd), overrides: flagOverrides(cmd, role) });
  } catch (e) {
    const msg = e instanceof NetPulseError ? `${e.code}: ${e.message}` : ((e as Error).stack ?? String(e));
    process.stderr.write(`netpulse ${role}: cannot start — ${msg}\n`);
    process.exit(1);
  }
  if (np.generatedApiKey) {
    // Printed once, on stderr, never logged.
    process.stderr.write(
      `\nNo server.api_key configured: generated one for this run.\n  ${np.config.server.api_key_name}: ${np.generatedApiKey}\n` +
        `Set NETPULSE_SERVER__API_KEY to keep a fixed key.\n\n`,
    );
  }
  if (np.metricsAddress) {
    process.stderr.write(`NetPulse ${role} metrics and probes on ${np.metricsAddress} (/metrics, /livez, /readyz)\n`);
  }
  if (np.generatedSecretKey) {
    // Printed once, on stderr, never logged: requests queued under it can only be opened with it.
    process.stderr.write(
      `No server.secret_key configured: generated one for this run (it seals stored job requests).\n  secret_key: ${np.generatedSecretKey}\n` +
        `Set NETPULSE_SERVER__SECRET_KEY to keep a fixed key (required for netpulse controller/worker).\n\n`,
    );
  }
  if (np.address) {
    const consoleUrl = np.config.server.ui ? `, console: ${np.address}/ui` : '';
    process.stderr.write(
      `NetPulse ${role} listening on ${np.address} (docs: ${np.address}/docs${consoleUrl}, broker: ${np.broker.name})\n`,
    );
  }
  // A worker process exits when the API stops its node; the all-in-one server only stops its node
  // (the API keeps answering, /health shows no live node).
  if (np.node && role === 'worker') np.node.onStopRequested = () => void shutdown('API');
  let stopping = false;
  const shutdown = async (why: string) => {
    if (stopping) return;
    stopping = true;
    np.logger.info({ why }, 'shutting down');
    const hard = setTimeout(() => process.exit(1), (np.config.worker.drain_timeout + 10) * 1000);
    hard.unref();
    try {
      await np.stop();
      process.exit(0);
    } catch (e) {
      np.logger.error({ err: e }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

const serve = program
  .command('serve')
  .description('HTTP API and a worker node in one process (embedded broker unless broker.name=redis)');
addConfigFlags(serve, 'serve').action(() => run('serve', serve));
const controller = program.command('controller').description('HTTP API only (needs Redis and server.api_key)');
addConfigFlags(controller, 'controller').action(() => run('controller', controller));
const worker = program
  .command('worker')
  .description('A worker node: FIFO consumers and pinned device sessions (needs Redis)');
addConfigFlags(worker, 'worker').action(() => run('worker', worker));

/** Loads the configuration for a tool command (flags of the tool override nothing but what they name). */
async function toolConfig(cmd: Command, overrides: NetPulseConfigInput = {}) {
  const { config: cfg } = await loadConfig({ env: envWith(cmd), overrides });
  setStateDir(cfg.server.state_dir);
  return cfg;
}

function fail(e: unknown): never {
  process.stderr.write(`${e instanceof NetPulseError ? e.message : (e as Error).message}\n`);
  process.exit(1);
}

const templates = program.command('templates').description('Template libraries');
const fetchCmd = templates.command('fetch').description('Download a template library');
const ntc = fetchCmd
  .command('ntc')
  .description('Download an ntc-templates release and install its TextFSM templates and index as templates.ntc_dir')
  .addOption(
    new Option('--ref <tag>', 'release tag (default templates.ntc_release)').env('NETPULSE_TEMPLATES__NTC_RELEASE'),
  )
  .addOption(
    new Option('--dir <path>', 'target directory (default templates.ntc_dir)').env('NETPULSE_TEMPLATES__NTC_DIR'),
  )
  .addOption(
    new Option('--url <url>', 'download URL, {ref} replaced by the tag (default templates.ntc_url)').env(
      'NETPULSE_TEMPLATES__NTC_URL',
    ),
  )
  .addOption(new Option('--config <file>', 'YAML configuration file').env('NETPULSE_CONFIG_FILE'));
ntc.action(async (o: { ref?: string; dir?: string; url?: string }) => {
  try {
    const cfg = await toolConfig(ntc);
    const dest = o.dir ?? cfg.templates.ntc_dir;
    if (!dest)
      throw new Error('No target directory: set templates.ntc_dir (NETPULSE_TEMPLATES__NTC_DIR) or pass --dir');
    const r = await fetchNtcTemplates({
      urlTemplate: o.url ?? cfg.templates.ntc_url,
      ref: o.ref ?? cfg.templates.ntc_release,
      dest,
    });
    process.stdout.write(`Installed ${r.templates} TextFSM templates and their index from ${r.url} into ${r.dir}\n`);
    if (!cfg.templates.ntc_dir)
      process.stdout.write(`Set templates.ntc_dir (NETPULSE_TEMPLATES__NTC_DIR=${r.dir}) so the server uses them.\n`);
  } catch (e) {
    fail(e);
  }
});

const knownHosts = program
  .command('known-hosts')
  .description('SSH host keys and pinned eAPI TLS certificates in server.state_dir');
const forget = knownHosts
  .command('forget')
  .description('Forget the keys of HOST (after the device was re-keyed or got a new certificate)')
  .argument('<host>', 'device address as used in connection_args.host')
  .addOption(new Option('--port <n>', 'only this port (default: every port)').argParser((v) => Number.parseInt(v, 10)))
  .addOption(
    new Option('--state-dir <path>', 'state directory (default server.state_dir)').env('NETPULSE_SERVER__STATE_DIR'),
  )
  .addOption(new Option('--config <file>', 'YAML configuration file').env('NETPULSE_CONFIG_FILE'));
forget.action(async (host: string, o: { port?: number; stateDir?: string }) => {
  try {
    await toolConfig(forget, o.stateDir ? { server: { state_dir: o.stateDir } } : {});
    const removed = await forgetHost(host, o.port);
    process.stdout.write(
      `Removed ${removed.known_hosts} SSH host key line(s) and ${removed.tls_known_hosts} TLS pin(s) of ${host} from ${stateDir()}\n`,
    );
  } catch (e) {
    fail(e);
  }
});

const config = program.command('config').description('Configuration tools');
config
  .command('print')
  .description('Print the effective configuration with secrets masked')
  .action(async () => {
    try {
      const { config: cfg, sources } = await loadConfig();
      process.stdout.write(`${JSON.stringify({ sources, config: maskConfig(cfg) }, null, 2)}\n`);
    } catch (e) {
      process.stderr.write(`${(e as Error).message}\n`);
      process.exit(1);
    }
  });

registerClientCommands(program);

await program.parseAsync(process.argv);
