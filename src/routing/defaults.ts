import routingJson from '../../config/routing.json';
import { parseRoutingTable, type RoutingTable } from './table';

export function defaultRoutingTable(): RoutingTable {
  return parseRoutingTable(routingJson);
}
