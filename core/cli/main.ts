import { Command, InvalidArgumentError } from 'commander';
import { startNetPulse, type NetPulse, type Role } from '../app/bootstrap.ts';
import { loadConfig } from '../config/load.ts';
import { maskConfig } from './mask.ts';
import { NetPulseError } from '../errors.ts';

const program = new Command();
program.name('netpulse').description('NetPulse network-automation controller').showHelpAfterError();

async function run(role: Role, metricsPort?: number): Promise<void> {
  let np: NetPulse;
  try {
    np = await startNetPulse({ role, metricsPort });
  } catch (e) {
    const msg = e instanceof NetPulseError ? `${e.code}: ${e.message}` : (e as Error).stack ?? String(e);
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
  if (np.metricsAddress) process.stderr.write(`NetPulse ${role} metrics and probes on ${np.metricsAddress} (/metrics, /livez, /readyz)\n`);
  if (np.address) process.stderr.write(`NetPulse ${role} listening on ${np.address} (docs: ${np.address}/docs, broker: ${np.broker.name})\n`);
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

program.command('serve').description('HTTP API and a worker node in one process (embedded broker unless broker.name=redis)').action(() => run('serve'));
program.command('controller').description('HTTP API only (needs Redis and server.api_key)').action(() => run('controller'));
program
  .command('worker')
  .description('A worker node: FIFO consumers and pinned device sessions (needs Redis)')
  .option('--metrics-port <port>', "serve this node's /metrics, /livez and /readyz on this port (worker.metrics_port)", parsePort)
  .action((o: { metricsPort?: number }) => run('worker', o.metricsPort));
function parsePort(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('a port from 0 to 65535');
  return n;
}

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

await program.parseAsync(process.argv);
