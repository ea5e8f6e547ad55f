/** The fuzz targets by name; each module is loaded only when its target runs. */
import type { FuzzTarget } from '../lib/target.js';

const TARGETS: Record<string, () => Promise<{ default: FuzzTarget }>> = {
  coap: () => import('./coap.js'),
  'lwm2m-tlv': () => import('./lwm2m-tlv.js'),
  'senml-json': () => import('./senml-json.js'),
  'senml-cbor': () => import('./senml-cbor.js'),
  'lwm2m-json': () => import('./lwm2m-json.js'),
  'link-format': () => import('./link-format.js'),
  'text-opaque': () => import('./text-opaque.js'),
  batch: () => import('./batch.js'),
  'config-envelope': () => import('./config-envelope.js'),
  hj212: () => import('./hj212.js'),
  dlt645: () => import('./dlt645.js'),
  cjt188: () => import('./cjt188.js'),
  modbus: () => import('./modbus.js'),
  onvif: () => import('./onvif.js'),
  'toml-config': () => import('./toml-config.js'),
  'toml-profile': () => import('./toml-profile.js'),
};

export const TARGET_NAMES = Object.keys(TARGETS);

export async function loadTarget(name: string): Promise<FuzzTarget> {
  const load = TARGETS[name];
  if (!load) throw new Error(`unknown fuzz target ${name} (have: ${TARGET_NAMES.join(', ')})`);
  return (await load()).default;
}
