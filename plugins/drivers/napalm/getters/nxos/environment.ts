import type { NapalmCli } from '../../device.ts';
import { parseError } from '../helpers.ts';
import { type Json, showJson, tableRows } from './json.ts';

/**
 * get_environment on NX-OS, with NAPALM's rules: `show environment` gives power supplies
 * (`powersup`), fans (`fandetails*`) and temperatures (`TABLE_tempinfo`); `show processes cpu`
 * the idle share; `show processes memory shared` the shared-memory totals (kB, reported ×1000).
 */

/** Some Nexus series suffix the table names (`TABLE_psinfo_n3k`): the first key with the prefix. */
function keyStarting(parent: Json | undefined, prefix: string): string | undefined {
  return parent ? Object.keys(parent).find((k) => k.startsWith(prefix)) : undefined;
}

function power(env: Json): Json {
  const sup: Json = env.powersup ?? {};
  const table = keyStarting(sup, 'TABLE_psinfo');
  const row = table ? keyStarting(Array.isArray(sup[table]) ? sup[table][0] : sup[table], 'ROW_psinfo') : undefined;
  const out: Json = {};
  if (!table || !row) return out;
  for (const ps of tableRows(sup, table, row)) {
    out[String(ps.psnum)] = {
      status: (ps.ps_status ?? 'ok') === 'ok',
      output: Number.parseFloat(ps.actual_out ?? '0') || 0.0,
      capacity: Number.parseFloat(ps.tot_capa ?? '0') || 0.0,
    };
  }
  return out;
}

function fans(env: Json): Json {
  const key = keyStarting(env, 'fandetails');
  if (!key) throw parseError('show environment: no fandetails');
  const out: Json = {};
  for (const fan of tableRows(env[key], 'TABLE_faninfo', 'ROW_faninfo')) {
    const name = String(fan.fanname);
    if (name.includes('PS')) continue; // fans inside power supplies are reported with the supply
    out[name] = { status: (fan.fanstatus ?? 'Ok') === 'Ok' };
  }
  return out;
}

/** Sensors are named `<module>-<n> <sensor>`: module and sensor alone are not unique. */
function temperature(env: Json): Json {
  const out: Json = {};
  let count = 1;
  let previous = '1';
  for (const t of tableRows(env, 'TABLE_tempinfo', 'ROW_tempinfo')) {
    const mod = String(t.tempmod ?? '').trimEnd();
    if (mod !== previous) count = 1;
    previous = mod;
    const current = Number.parseFloat(t.curtemp ?? '-1');
    out[`${mod}-${count} ${String(t.sensor ?? '').trimEnd()}`] = {
      temperature: current,
      is_alert: String(t.alarmstatus ?? 'Ok').trimEnd() !== 'Ok',
      is_critical: current > Number.parseFloat(t.majthres),
    };
    count += 1;
  }
  return out;
}

export async function getEnvironment(cli: NapalmCli): Promise<Json> {
  const env = await showJson(cli, 'show environment');
  const cpu = await showJson(cli, 'show processes cpu');
  const idle = cpu.idle_percent ?? tableRows(cpu, 'TABLE_cpu_util', 'ROW_cpu_util')[0]?.idle_percent;
  if (idle === undefined) throw parseError('show processes cpu: no idle_percent');
  const memory = tableRows(await showJson(cli, 'show processes memory shared'), 'TABLE_process_tag', 'ROW_process_tag');
  const shm = memory[0] ?? {};
  const avail = Number.parseInt(shm['process-memory-share-total-shm-avail'], 10);
  const used = Number.parseInt(shm['process-memory-share-total-shm-used'], 10);
  if (Number.isNaN(avail) || Number.isNaN(used)) throw parseError('show processes memory shared: no totals');
  return {
    power: power(env),
    fans: fans(env),
    temperature: temperature(env),
    cpu: { 0: { '%usage': Math.round((100 - Number.parseFloat(idle)) * 100) / 100 } },
    memory: { available_ram: avail * 1000, used_ram: used * 1000 },
  };
}
