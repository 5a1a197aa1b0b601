import type { NapalmCli } from '../../device.ts';
import { CISCO_SANITIZE_FILTERS, lines, parseError, sanitizeConfig, words } from '../helpers.ts';
import { send } from './send.ts';

/** get_environment: CPU (one-minute average), memory, temperatures; power and fans are not read on IOS. */
export async function getEnvironment(cli: NapalmCli): Promise<Record<string, unknown>> {
  type Temperature = { is_alert: boolean; is_critical: boolean; temperature: number };
  const cpu = { 0: { '%usage': 0.0 } };
  const temperature: Record<string, Temperature> = {};
  for (const line of lines(await send(cli, 'show proc cpu'))) {
    if (!line.includes('CPU utilization')) continue;
    const m = /^.*one minute: (\d+)%; five.*$/.exec(line);
    if (!m) throw parseError(line);
    cpu[0]['%usage'] = Number(m[1]);
    break;
  }
  let total = 0;
  let used = 0;
  const stats = await send(cli, 'show memory statistics');
  if (!stats.includes('Invalid input detected at')) {
    let proc: string[] | null = null;
    let io: string[] | null = null;
    for (const line of lines(stats)) {
      if (line.includes('Processor')) proc = words(line).slice(2, 4);
      else if (line.includes('I/O') || line.includes('io')) io = words(line).slice(2, 4);
    }
    if (!proc || !io) throw parseError('show memory statistics has no Processor or I/O pool');
    total = Number(proc[0]) + Number(io[0]);
    used = Number(proc[1]) + Number(io[1]);
  } else {
    // IOS-XE without `show memory statistics`.
    for (const line of lines(await send(cli, 'show memory'))) {
      if (!line.includes('System memory')) continue;
      const f = words(line).slice(3, 6);
      total = Number.parseInt(f[0].replace('K', ''), 10);
      used = Number.parseInt(f[2].replace('K', ''), 10);
    }
  }
  const temp = await send(cli, 'show env temperature status');
  if (!temp.includes('% Invalid') && !temp.includes('Not Supported')) {
    let current: Temperature | null = null;
    for (const line of lines(temp)) {
      const m = /^(.*) Temperature Value/.exec(line);
      if (m) {
        current = { is_alert: false, is_critical: false, temperature: Number(words(line.split(':')[1])[0]) };
        temperature[m[1].toLowerCase()] = current;
      } else if (line.includes('Yellow Threshold') && current) {
        if (current.temperature > Number(words(line.split(':')[1])[0])) current.is_alert = true;
      } else if (line.includes('Red Threshold') && current) {
        if (current.temperature > Number(words(line.split(':')[1])[0])) current.is_critical = true;
      }
    }
  } else {
    temperature.invalid = { is_alert: false, is_critical: false, temperature: -1.0 };
  }
  return {
    cpu,
    memory: { used_ram: used, available_ram: total },
    temperature,
    power: { invalid: { status: true, output: -1.0, capacity: -1.0 } },
    fans: { invalid: { status: true } },
  };
}

/** IOS header lines of `show running-config` / `show startup-config` (NAPALM drops them). */
const CONFIG_NOISE = new RegExp(
  [
    '^Building configuration.*$',
    '^Current configuration :.*$',
    '^! Last configuration change at.*$',
    '^! NVRAM config last updated at.*$',
  ].join('|'),
  'gm',
);

/** get_config(retrieve, full, sanitized): startup and running without IOS's header lines; no candidate on IOS. */
export async function getConfig(
  cli: NapalmCli,
  args: { retrieve?: unknown; full?: unknown; sanitized?: unknown },
): Promise<Record<string, string>> {
  const retrieve = typeof args.retrieve === 'string' ? args.retrieve : 'all';
  const configs: Record<string, string> = { startup: '', running: '', candidate: '' };
  if (retrieve === 'startup' || retrieve === 'all') {
    configs.startup = (await send(cli, 'show startup-config')).replace(CONFIG_NOISE, '').trim();
  }
  if (retrieve === 'running' || retrieve === 'all') {
    const cmd = args.full === true ? 'show running-config all' : 'show running-config';
    configs.running = (await send(cli, cmd)).replace(CONFIG_NOISE, '').trim();
  }
  if (args.sanitized === true) {
    for (const k of Object.keys(configs)) configs[k] = sanitizeConfig(configs[k], CISCO_SANITIZE_FILTERS);
  }
  return configs;
}

/** get_snmp_information: `show run | include snmp-server` (chassis id from `show snmp chassis` when not configured). */
export async function getSnmpInformation(cli: NapalmCli): Promise<Record<string, unknown>> {
  const snmp: {
    chassis_id: string;
    community: Record<string, Record<string, string>>;
    contact: string;
    location: string;
  } = {
    chassis_id: 'unknown',
    community: {},
    contact: 'unknown',
    location: 'unknown',
  };
  for (const line of lines(await send(cli, 'show run | include snmp-server'))) {
    const f = words(line);
    if (line.includes('snmp-server community')) {
      const name = f[2];
      snmp.community[name] = { mode: f[3] !== undefined ? f[3].toLowerCase() : 'N/A', acl: f[4] ?? 'N/A' };
    } else if (line.includes('snmp-server location')) {
      snmp.location = f.slice(2).join(' ');
    } else if (line.includes('snmp-server contact')) {
      snmp.contact = f.slice(2).join(' ');
    } else if (line.includes('snmp-server chassis-id')) {
      snmp.chassis_id = f.slice(2).join(' ');
    }
  }
  if (snmp.chassis_id === 'unknown') snmp.chassis_id = await send(cli, 'show snmp chassis');
  return snmp;
}

/** get_ntp_servers: `show run | include ntp server` (`ntp server [vrf X] <address>`). */
export async function getNtpServers(cli: NapalmCli): Promise<Record<string, Record<string, never>>> {
  const servers: Record<string, Record<string, never>> = {};
  for (const line of lines(await send(cli, 'show run | include ntp server'))) {
    const f = words(line);
    if (f.length < 3) continue;
    servers[f[2] === 'vrf' ? f[4] : f[2]] = {};
  }
  return servers;
}

/** get_users: `show run | section username` (privilege, secret hash, SSH key hashes from `ip ssh pubkey-chain`). */
export async function getUsers(cli: NapalmCli): Promise<Record<string, unknown>> {
  const output = await send(cli, 'show run | section username');
  const users: Record<string, { level: number; password: string; sshkeys: string[] }> = {};
  const userRe = /^username\s+(?<username>\S+)\s+(?:privilege\s+(?<priv>\S+)\s+)?(?:secret \d+\s+(?<hash>\S+))?$/gm;
  for (const m of output.matchAll(userRe)) {
    const g = m.groups!;
    users[g.username] = { level: g.priv ? Number.parseInt(g.priv, 10) : 1, password: g.hash ?? '', sshkeys: [] };
  }
  const keyRe =
    /^\s+username\s+(?<username>\S+)(?<keys>(?:\n\s+key-hash\s+(?<type>\S+)\s+(?<hash>\S+)(?:\s+\S+)?)+)$/gm;
  for (const m of output.matchAll(keyRe)) {
    const g = m.groups!;
    if (!users[g.username]) continue;
    users[g.username].sshkeys = g.keys
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => l.trim().slice(9));
  }
  return users;
}
