import { parseRoutingTable, type RoutingTable } from '../src/routing/table';
import { readJsonFile } from './jsonFile';

/** Reads and validates the routing table (ROUTING_CONFIG): who leads and assists, duplicates, what the community handles. */
export function loadRoutingTable(path: string): RoutingTable {
  return parseRoutingTable(readJsonFile(path, 'ROUTING_CONFIG'));
}
