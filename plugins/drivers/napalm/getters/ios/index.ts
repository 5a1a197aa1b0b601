import type { CliGetter, GetterName } from '../index.ts';
import { getBgpNeighbors } from './bgp.ts';
import { getFacts, getInterfaces, getInterfacesCounters, getInterfacesIp } from './facts.ts';
import { getConfig, getEnvironment, getNtpServers, getSnmpInformation, getUsers } from './misc.ts';
import { getArpTable, getLldpNeighbors, getLldpNeighborsDetail, getMacAddressTable } from './tables.ts';

/** NAPALM's IOS getters over the SSH CLI (text output). */
export const IOS_GETTERS: Partial<Record<GetterName, CliGetter>> = {
  get_facts: getFacts,
  get_interfaces: getInterfaces,
  get_interfaces_ip: getInterfacesIp,
  get_interfaces_counters: getInterfacesCounters,
  get_arp_table: getArpTable,
  get_lldp_neighbors: getLldpNeighbors,
  get_lldp_neighbors_detail: getLldpNeighborsDetail,
  get_mac_address_table: getMacAddressTable,
  get_bgp_neighbors: getBgpNeighbors,
  get_environment: getEnvironment,
  get_config: getConfig,
  get_snmp_information: getSnmpInformation,
  get_ntp_servers: getNtpServers,
  get_users: getUsers,
};
