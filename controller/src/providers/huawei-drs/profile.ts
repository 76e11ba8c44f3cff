import type { NodeType } from './enums.ts';

/**
 * What differs between a real DRS account and the built-in engine, which speaks the same API:
 * the engines offered and which placement fields the user must give.
 */
export interface DrsProfile {
  providerId: string;
  /** spec.engine values this account accepts. */
  engines: readonly string[];
  /** Real DRS needs network.type + network.subnetId, nodeType and direction; the engine does not. */
  requirePlacement: boolean;
  defaults: { nodeType: NodeType; direction: 'up' | 'down' | 'non-dbs'; netType: 'eip' | 'vpc' | 'vpn'; subnetId: string };
}

export const HUAWEI_DRS_PROFILE: DrsProfile = {
  providerId: 'huawei-drs',
  engines: ['mysql', 'mongodb', 'postgresql', 'oracle-to-gaussdbv5', 'oracle-to-gaussdbv5ha', 'gaussdbv5-to-oracle', 'gaussdbv5ha-to-oracle', 'gaussdbv5-to-kafka'],
  requirePlacement: true,
  defaults: { nodeType: 'high', direction: 'up', netType: 'eip', subnetId: '' },
};

export const LOCAL_ENGINE_PROFILE: DrsProfile = {
  providerId: 'local',
  engines: ['postgresql'],
  requirePlacement: false,
  defaults: { nodeType: 'micro', direction: 'non-dbs', netType: 'vpc', subnetId: 'local' },
};
