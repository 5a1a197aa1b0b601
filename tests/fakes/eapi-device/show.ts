/**
 * Outputs of the simulator's show commands, in both eAPI encodings. The JSON
 * follows the field names of EOS's models (as napalm/ANTA read them); values
 * come from the device's configuration where EOS would reflect it
 * (hostname, descriptions, addresses, shutdown).
 */
import type { ConfigTree } from './config.ts';

export interface DeviceFacts {
  hostname: string;
  modelName: string;
  version: string;
  internalVersion: string;
  serialNumber: string;
  systemMacAddress: string;
  bootupTimestamp: number;
  config: ConfigTree;
  physicalInterfaces: readonly string[];
  lldpNeighbors: ReadonlyArray<{ port: string; neighborDevice: string; neighborPort: string; ttl: number }>;
}

/** A command's output; `json` undefined = EOS has no JSON model for it (error 1003). */
export interface Output {
  json?: unknown;
  text: string;
}

export function showVersion(d: DeviceFacts, now: number): Output {
  const uptime = Math.round((now / 1000 - d.bootupTimestamp) * 100) / 100;
  const json = {
    mfgName: 'Arista',
    modelName: d.modelName,
    hardwareRevision: '',
    serialNumber: d.serialNumber,
    systemMacAddress: d.systemMacAddress,
    hwMacAddress: '00:00:00:00:00:00',
    configMacAddress: '00:00:00:00:00:00',
    version: d.version,
    architecture: 'x86_64',
    internalVersion: d.internalVersion,
    internalBuildId: '5e8a6f1c-6c33-4d70-9b8a-3f2b1d0c9e11',
    imageFormatVersion: '1.0',
    imageOptimization: 'None',
    bootupTimestamp: d.bootupTimestamp,
    uptime,
    memTotal: 4002184,
    memFree: 2562880,
    isIntlVersion: false,
    // not in EOS's model; the fleet tooling reads it to tell devices apart
    hostname: d.hostname,
  };
  const h = Math.floor(uptime / 3600),
    m = Math.floor((uptime % 3600) / 60);
  const text = [
    `Arista ${d.modelName}`,
    'Hardware version: ',
    `Serial number: ${d.serialNumber}`,
    'Hardware MAC address: 0000.0000.0000',
    `System MAC address: ${dotted(d.systemMacAddress)}`,
    '',
    `Software image version: ${d.version}`,
    'Architecture: x86_64',
    `Internal build version: ${d.internalVersion}`,
    `Internal build ID: ${json.internalBuildId}`,
    'Image format version: 1.0',
    'Image optimization: None',
    '',
    `Uptime: ${h} hours and ${m} minutes`,
    `Total memory: ${json.memTotal} kB`,
    `Free memory: ${json.memFree} kB`,
    '',
  ].join('\n');
  return { json, text };
}

export function showHostname(d: DeviceFacts): Output {
  return {
    json: { hostname: d.hostname, fqdn: d.hostname },
    text: `Hostname: ${d.hostname}\nFQDN:     ${d.hostname}\n`,
  };
}

function dotted(mac: string): string {
  const h = mac.replace(/:/g, '');
  return `${h.slice(0, 4)}.${h.slice(4, 8)}.${h.slice(8, 12)}`;
}

interface IfState {
  name: string;
  description: string;
  address?: { address: string; maskLen: number };
  adminDown: boolean;
  hardware: 'ethernet' | 'loopback' | 'vlan' | 'portChannel' | 'vxlan';
  mac: string;
  mtu: number;
}

function interfaceStates(d: DeviceFacts): IfState[] {
  const names = [...d.physicalInterfaces];
  for (const e of d.config.entries) {
    const m = /^interface (\S+)$/.exec(e.line);
    if (m && !names.includes(m[1])) names.push(m[1]);
  }
  const macBase = d.systemMacAddress.split(':').map((x) => parseInt(x, 16));
  return names.map((name, idx) => {
    const children = d.config.find(`interface ${name}`)?.children ?? [];
    const desc = children.find((c) => c.startsWith('description '));
    const ip = children.map((c) => /^ip address (\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(c)).find((m) => m);
    const hardware: IfState['hardware'] = name.startsWith('Loopback')
      ? 'loopback'
      : name.startsWith('Vlan')
        ? 'vlan'
        : name.startsWith('Port-Channel')
          ? 'portChannel'
          : name.startsWith('Vxlan')
            ? 'vxlan'
            : 'ethernet';
    const mac = [...macBase.slice(0, 5), (macBase[5] + idx + 1) & 0xff]
      .map((x) => x.toString(16).padStart(2, '0'))
      .join(':');
    return {
      name,
      description: desc ? desc.slice('description '.length) : '',
      address: ip ? { address: ip[1], maskLen: Number(ip[2]) } : undefined,
      adminDown: children.includes('shutdown'),
      hardware,
      mac: hardware === 'loopback' ? '' : mac,
      mtu: hardware === 'loopback' ? 65535 : 1500,
    };
  });
}

function ifJson(s: IfState, boot: number): Record<string, unknown> {
  const status = s.adminDown ? 'disabled' : 'connected';
  return {
    name: s.name,
    forwardingModel: s.address || s.name.startsWith('Management') || s.hardware !== 'ethernet' ? 'routed' : 'bridged',
    lineProtocolStatus: s.adminDown ? 'down' : 'up',
    interfaceStatus: status,
    hardware: s.hardware,
    interfaceAddress: s.address
      ? [
          {
            primaryIp: s.address,
            secondaryIps: {},
            secondaryIpsOrderedList: [],
            virtualIp: { address: '0.0.0.0', maskLen: 0 },
            virtualSecondaryIps: {},
            virtualSecondaryIpsOrderedList: [],
            broadcastAddress: '255.255.255.255',
            dhcp: false,
          },
        ]
      : [],
    physicalAddress: s.mac,
    burnedInAddress: s.mac,
    description: s.description,
    bandwidth: s.hardware === 'ethernet' ? 1_000_000_000 : 0,
    mtu: s.mtu,
    l3MtuConfigured: false,
    l2Mru: 0,
    lastStatusChangeTimestamp: boot,
    ...(s.hardware === 'ethernet'
      ? {
          duplex: 'duplexFull',
          autoNegotiate: 'unknown',
          loopbackMode: 'loopbackNone',
          interfaceCounters: {
            inOctets: 0,
            inUcastPkts: 0,
            inMulticastPkts: 0,
            inBroadcastPkts: 0,
            inDiscards: 0,
            inTotalPkts: 0,
            outOctets: 0,
            outUcastPkts: 0,
            outMulticastPkts: 0,
            outBroadcastPkts: 0,
            outDiscards: 0,
            outTotalPkts: 0,
            linkStatusChanges: 1,
            totalInErrors: 0,
            totalOutErrors: 0,
            counterRefreshTime: boot,
            inputErrorsDetail: {
              runtFrames: 0,
              giantFrames: 0,
              fcsErrors: 0,
              alignmentErrors: 0,
              symbolErrors: 0,
              rxPause: 0,
            },
            outputErrorsDetail: { collisions: 0, lateCollisions: 0, deferredTransmissions: 0, txPause: 0 },
          },
          interfaceStatistics: { updateInterval: 300, inBitsRate: 0, inPktsRate: 0, outBitsRate: 0, outPktsRate: 0 },
        }
      : {}),
  };
}

function ifText(s: IfState): string {
  const up = s.adminDown
    ? 'administratively down, line protocol is down (disabled)'
    : 'up, line protocol is up (connected)';
  const hw =
    s.hardware === 'loopback'
      ? '  Hardware is Loopback'
      : `  Hardware is Ethernet, address is ${dotted(s.mac)} (bia ${dotted(s.mac)})`;
  return (
    [
      `${s.name} is ${up}`,
      hw,
      ...(s.description ? [`  Description: ${s.description}`] : []),
      s.address ? `  Internet address is ${s.address.address}/${s.address.maskLen}` : '',
      `  IP MTU ${s.mtu} bytes${s.hardware === 'ethernet' ? ', BW 1000000 kbit' : ''}`,
    ]
      .filter((l) => l !== '')
      .join('\n') + '\n'
  );
}

/** `show interfaces [NAME]`; returns undefined when the named interface does not exist. */
export function showInterfaces(d: DeviceFacts, only?: string): Output | undefined {
  const states = interfaceStates(d).filter((s) => !only || s.name === only);
  if (only && states.length === 0) return undefined;
  const interfaces: Record<string, unknown> = {};
  for (const s of states) interfaces[s.name] = ifJson(s, d.bootupTimestamp);
  return { json: { interfaces }, text: states.map(ifText).join('') };
}

export function showIpInterfaceBrief(d: DeviceFacts): Output {
  const l3 = interfaceStates(d).filter((s) => s.address);
  const interfaces: Record<string, unknown> = {};
  for (const s of l3) {
    interfaces[s.name] = {
      name: s.name,
      interfaceStatus: s.adminDown ? 'disabled' : 'connected',
      lineProtocolStatus: s.adminDown ? 'down' : 'up',
      interfaceAddress: { ipAddr: s.address },
      ipv4Routable240: false,
      ipv4Routable0: false,
      nonRoutableClassEIntf: false,
      mtu: s.mtu,
    };
  }
  const pad = (x: string, n: number): string => x.padEnd(n);
  const rows = l3.map(
    (s) =>
      `${pad(s.name, 18)}${pad(`${s.address?.address}/${s.address?.maskLen}`, 22)}${pad(s.adminDown ? 'admin down' : 'up', 13)}${pad(s.adminDown ? 'down' : 'up', 15)}${String(s.mtu).padStart(11)}`,
  );
  const text = [
    '                                                                        Address',
    'Interface         IP Address            Status       Protocol            MTU    Owner  ',
    '----------------- --------------------- ------------ -------------- ----------- -------',
    ...rows,
    '',
  ].join('\n');
  return { json: { interfaces }, text };
}

function shortIf(name: string): string {
  return name.replace(/^Ethernet/, 'Et').replace(/^Management/, 'Ma');
}

export function showLldpNeighbors(d: DeviceFacts, now: number): Output {
  const n = d.lldpNeighbors;
  const json = {
    tablesLastChangeTime: d.bootupTimestamp + 5,
    tablesAgeOuts: 0,
    tablesInserts: n.length,
    tablesDeletes: 0,
    tablesDrops: 0,
    lldpNeighbors: n.map((x) => ({ ...x })),
  };
  const ago = Math.max(0, Math.round(now / 1000 - json.tablesLastChangeTime));
  const text = [
    `Last table change time   : ${Math.floor(ago / 3600)}:${String(Math.floor((ago % 3600) / 60)).padStart(2, '0')}:${String(ago % 60).padStart(2, '0')} ago`,
    `Number of table inserts  : ${n.length}`,
    'Number of table deletes  : 0',
    'Number of table drops    : 0',
    'Number of table age-outs : 0',
    '',
    'Port          Neighbor Device ID       Neighbor Port ID    TTL',
    '---------- ------------------------ ---------------------- ---',
    ...n.map((x) => `${shortIf(x.port).padEnd(14)}${x.neighborDevice.padEnd(25)}${x.neighborPort.padEnd(20)}${x.ttl}`),
    '',
  ].join('\n');
  return { json, text };
}

export function runningConfigHeader(d: DeviceFacts, cmd: string): string[] {
  return [
    `! Command: ${cmd}`,
    `! device: ${d.hostname} (${d.modelName}, EOS-${d.version})`,
    '!',
    `! boot system flash:/${d.modelName}.swi`,
    '!',
  ];
}

/** `show clock`: EOS answers it in text only here, so JSON requests get 1003 (pyeapi then resends as text). */
export function showClock(now: number): Output {
  const d = new Date(now);
  const s = d.toUTCString().replace(/^(\w+), (\d+) (\w+) (\d+) ([\d:]+) GMT$/, '$1 $3 $2 $5 $4');
  return { text: `${s}\nTimezone: UTC\nClock source: local\n` };
}

export function configurationSessions(
  sessions: ReadonlyMap<string, { state: string; user: string; description: string }>,
  detail: boolean,
  timer: { session: string; expiresAt: number } | null = null,
): Output {
  const out: Record<string, unknown> = {};
  for (const [name, s] of sessions) {
    const timed = timer?.session === name;
    out[name] = {
      state: s.state,
      commitUser: s.user,
      description: s.description,
      instances: {},
      ...(detail
        ? { commitTimerSessionName: timed ? name : '', commitTimerExpireTime: timed ? timer.expiresAt / 1000 : 0 }
        : {}),
    };
  }
  const rows = [...sessions].map(([name, s]) => `  ${name.padEnd(40)}${s.state.padEnd(14)}${s.user}`);
  return {
    json: { maxSavedSessions: 1, maxOpenSessions: 5, sessions: out },
    text: [
      'Maximum number of completed sessions: 1',
      'Maximum number of pending sessions: 5',
      '',
      '  Name                                    State         User',
      ...rows,
      '',
    ].join('\n'),
  };
}

/** `| include|exclude|begin|section X` filters over text output. */
export function applyPipe(text: string, filter: string, pattern: string): string {
  let re: RegExp;
  try {
    re = new RegExp(pattern);
  } catch {
    re = new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  }
  const lines = text.replace(/\n$/, '').split('\n');
  let out: string[];
  switch (filter) {
    case 'include':
      out = lines.filter((l) => re.test(l));
      break;
    case 'exclude':
      out = lines.filter((l) => !re.test(l));
      break;
    case 'begin': {
      const i = lines.findIndex((l) => re.test(l));
      out = i < 0 ? [] : lines.slice(i);
      break;
    }
    default: {
      // section: a top-level line that matches (or has a matching child) with its indented children
      out = [];
      for (let i = 0; i < lines.length; i++) {
        if (lines[i].startsWith(' ')) continue;
        let j = i + 1;
        while (j < lines.length && lines[j].startsWith(' ')) j++;
        const block = lines.slice(i, j);
        if (block.some((l) => re.test(l))) out.push(...block);
      }
    }
  }
  return out.length ? out.join('\n') + '\n' : '';
}
