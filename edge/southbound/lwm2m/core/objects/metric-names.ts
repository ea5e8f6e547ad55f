/**
 * Metric names for observed resources when no device profile matches: snake_case, stable,
 * derived from the object model (3303/5700 → `temperature`, 3428/3 → `pm2_5`).
 *
 * Rules, in order:
 *  1. an explicit name below (`OVERRIDES`), e.g. 3408/3 → `cover_open`;
 *  2. IPSO sensor objects (those with 5700 Sensor Value): 5700 → the object's name,
 *     5601/5602 → `<name>_min` / `<name>_max`;
 *  3. the resource name in snake_case;
 *  4. unknown resources: `lwm2m_<object>_<resource>`.
 * Instance ids > 0 append `_<instance>` (two thermometers: `temperature`, `temperature_1`);
 * resource-instance paths always append `_<resource instance>` (3/0/7/1 → `power_source_voltage_1`).
 */
import { lwm2mError } from '../errors.js';
import type { Lwm2mPath } from '../paths.js';
import type { ModelLookup } from './model.js';

const OVERRIDES: Readonly<Record<string, string>> = {
  '4/11': 'signal_snr',
  '3407/6044': 'battery_level',
  '3407/6046': 'smoke',
  '3408/1': 'cover_safety_angle_threshold',
  '3408/2': 'cover_tilt',
  '3408/3': 'cover_open',
  '3421/1': 'voltage',
  '3421/6': 'current',
  '3421/11': 'frequency',
  '3421/13': 'power_factor',
  '3421/16': 'active_power_import',
  '3421/17': 'active_power_export',
  '3421/25': 'active_energy_import',
  '3421/26': 'active_energy_export',
  '3423/1': 'gas_volume',
  '3423/4': 'pulse_count',
  '3424/1': 'water_volume',
  '3424/4': 'pulse_count',
  '3429/1': 'tilt_angle',
  '3431/1': 'occupied',
  '3435/2': 'filling_percentage',
  '3435/3': 'filling_level',
};

/** "PM2.5 24 hour average" → "pm2_5_24_hour_average". */
export function snakeCase(name: string): string {
  return name
    .toLowerCase()
    .replace(/([0-9])\.([0-9])/g, '$1_$2')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** The metric name for a resource or resource-instance path (see the rules above). */
export function metricName(path: Lwm2mPath, model: ModelLookup): string {
  if (path.level !== 'resource' && path.level !== 'resourceInstance') {
    throw lwm2mError('LWM2M_ERR_PATH', `a metric name needs a resource path, got ${path.toString()}`);
  }
  const [objectId, instanceId, resourceId, riid] = path.ids as [number, number, number, number | undefined];
  const base = baseName(objectId, resourceId, model);
  let name = instanceId > 0 ? `${base}_${instanceId}` : base;
  if (riid !== undefined) name += `_${riid}`;
  return name;
}

function baseName(objectId: number, resourceId: number, model: ModelLookup): string {
  const override = OVERRIDES[`${objectId}/${resourceId}`];
  if (override) return override;
  const object = model.object(objectId);
  const resource = model.resource(objectId, resourceId);
  if (!object || !resource) return `lwm2m_${objectId}_${resourceId}`;
  if (model.resource(objectId, 5700)) {
    const sensor = snakeCase(object.name);
    if (resourceId === 5700) return sensor;
    if (resourceId === 5601) return `${sensor}_min`;
    if (resourceId === 5602) return `${sensor}_max`;
  }
  return snakeCase(resource.name) || `lwm2m_${objectId}_${resourceId}`;
}
