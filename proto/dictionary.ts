/**
 * Preset DEFLATE dictionary v1 for BODY_DEFLATE_DICT1 (RFC 1951 with a preset window).
 * It primes the compressor with the strings a batch body repeats: metric names, id prefixes.
 * FROZEN: batches already stored or in flight were compressed with exactly these bytes; a new
 * dictionary is a new BodyCodec value. test/proto/batch-codec.test.ts pins its SHA-256.
 * Most frequent strings go last (DEFLATE prefers the nearest match).
 */
const DICT_V1_STRINGS = [
  'urn:dev:mac:',
  'urn:dev:ops:',
  'urn:imei:',
  'urn:esn:',
  'flow_rate',
  'volume_total',
  'energy_total',
  'active_power',
  'voltage',
  'current',
  'power_factor',
  'water_level',
  'rainfall',
  'level',
  'tilt',
  'cover_open',
  'smoke',
  'occupied',
  'fill_level',
  'battery',
  'rsrp',
  'rssi',
  'sinr',
  'snr',
  'signal',
  'ph',
  'cod',
  'ammonia_nitrogen',
  'total_phosphorus',
  'total_nitrogen',
  'turbidity',
  'conductivity',
  'humidity',
  'illuminance',
  'noise',
  'wind_direction',
  'wind_speed',
  'rain',
  'dew_point',
  'pressure',
  'temperature',
  'o3',
  'co',
  'no2',
  'so2',
  'pm10',
  'pm2_5',
];

export const DICTIONARY_V1: Buffer = Buffer.from(DICT_V1_STRINGS.join('\u0000'), 'utf8');
