import type { NapalmCli } from '../../device.ts';
import { lines } from '../helpers.ts';

/**
 * get_environment on Junos, from the commands behind NAPALM's Junos tables:
 * - `show chassis environment`: class Temp → temperature (°C; a sensor without a reading is 0.0),
 *   Fans → fans, Power → power (capacity/output -1.0; status = `OK`);
 * - `show chassis temperature-thresholds`: a reading at or above the yellow-alarm (normal) value is
 *   an alert, at or above the red-alarm value critical. Thresholds of the sensor's own item apply,
 *   else `Chassis default`; NAPALM applies one row to every sensor, which misjudges most of them;
 * - `show chassis power` (where the platform has it): `PEM n` becomes `Power Supply n` with
 *   status `Online`, the actual capacity and the DC output in W;
 * - `show chassis routing-engine`: %usage = 100 − Idle per slot; memory from DRAM (MB) and the
 *   utilisation percentage, as NAPALM (used = round(DRAM / 100 × utilisation)).
 */

type Json = Record<string, Record<string, unknown>>;

/** Python's round(): halves go to the even neighbour (NAPALM computes used_ram with it). */
function pyRound(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

interface EnvItem {
  cls: string;
  item: string;
  status: string;
  measurement: string;
}

function environmentItems(text: string): EnvItem[] {
  const items: EnvItem[] = [];
  let cols: { item: number; status: number; measurement: number } | null = null;
  let cls = '';
  for (const line of lines(text)) {
    if (/^Class\s+Item\s+Status/.test(line)) {
      cols = { item: line.indexOf('Item'), status: line.indexOf('Status'), measurement: line.indexOf('Measurement') };
      continue;
    }
    if (!cols || !line.trim()) continue;
    const head = line.slice(0, cols.item).trim();
    if (head) cls = head;
    items.push({
      cls,
      item: line.slice(cols.item, cols.status).trim(),
      status: line.slice(cols.status, cols.measurement < 0 ? undefined : cols.measurement).trim(),
      measurement: cols.measurement < 0 ? '' : line.slice(cols.measurement).trim(),
    });
  }
  return items;
}

/** Item → [yellow alarm, red alarm] (the `Normal` columns, °C). */
function thresholds(text: string): Map<string, [number, number]> {
  const out = new Map<string, [number, number]>();
  for (const line of lines(text)) {
    const m = /^(\S.*?)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*$/.exec(line);
    if (m) out.set(m[1], [Number(m[4]), Number(m[6])]);
  }
  return out;
}

function failed(text: string): boolean {
  return /^\s*(error:|syntax error|unknown command)/m.test(text);
}

export async function getEnvironment(cli: NapalmCli): Promise<Record<string, unknown>> {
  const env = {
    fans: {} as Json,
    temperature: {} as Json,
    power: {} as Json,
    cpu: {} as Json,
    memory: {} as Json[string],
  };
  const limits = thresholds(await cli.run('show chassis temperature-thresholds'));
  const fallback = limits.get('Chassis default');
  for (const e of environmentItems(await cli.run('show chassis environment'))) {
    if (e.cls === 'Power') env.power[e.item] = { status: e.status === 'OK', capacity: -1.0, output: -1.0 };
    else if (e.cls === 'Fans') env.fans[e.item] = { status: e.status === 'OK' };
    else if (e.cls === 'Temp') {
      const reading = /^(-?\d+) degrees C/.exec(e.measurement);
      const temperature = reading ? Number(reading[1]) : 0.0;
      const [yellow, red] = limits.get(e.item) ?? fallback ?? [Infinity, Infinity];
      env.temperature[e.item] = {
        temperature,
        is_alert: reading !== null && temperature >= yellow,
        is_critical: reading !== null && temperature >= red,
      };
    }
  }
  const power = await cli.run('show chassis power');
  if (!failed(power)) {
    let pem: Record<string, unknown> | null = null;
    for (const line of lines(power)) {
      const head = /^PEM (\d+):/.exec(line);
      if (head) {
        pem = { status: false, capacity: -1.0, output: -1.0 };
        env.power[`Power Supply ${head[1]}`] = pem;
        continue;
      }
      if (/^\S/.test(line)) pem = null; // `System:` and other sections end the supply's block
      if (!pem) continue;
      const t = line.trim();
      let m = /^State:\s*(\S+)/.exec(t);
      if (m) pem.status = m[1] === 'Online';
      m = /^Capacity:\s*(\d+(?:\.\d+)?) W/.exec(t);
      if (m) pem.capacity = Number(m[1]);
      m = /^DC output:\s*(\d+(?:\.\d+)?) W/.exec(t);
      if (m) pem.output = Number(m[1]);
    }
  }
  let slot = '0';
  let idleSeen = false;
  let dram = 0;
  for (const line of lines(await cli.run('show chassis routing-engine'))) {
    const t = line.trim();
    let m = /^Slot (\d+):/.exec(t);
    if (m) {
      slot = m[1];
      idleSeen = false;
      continue;
    }
    m = /^DRAM\s+(\d+)/.exec(t);
    if (m) {
      dram = Number(m[1]);
      env.memory.available_ram = dram;
    }
    m = /^Memory utilization\s+(\d+) percent/.exec(t);
    if (m) env.memory.used_ram = pyRound((dram / 100.0) * Number(m[1]));
    // The first Idle line is the current (or 5-second) utilisation, the value the RPC reports.
    m = /^Idle\s+(\d+) percent/.exec(t);
    if (m && !idleSeen) {
      env.cpu[slot] = { '%usage': 100.0 - Number(m[1]) };
      idleSeen = true;
    }
  }
  return env;
}
