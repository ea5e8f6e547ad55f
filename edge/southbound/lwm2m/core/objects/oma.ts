/**
 * OMA core objects 0 (Security), 1 (Server), 3 (Device), 4 (Connectivity Monitoring),
 * 5 (Firmware Update) and 19 (BinaryAppDataContainer), as data. Resources up to LwM2M 1.1
 * (object versions 1.1); later additions (1.2: Server 24–27, Security 18+) are left out.
 * Written from the OMA LwM2M registry; where memory was not certain the resource is marked.
 */
import { exec, res, type ObjectModel } from './model.js';

export const SECURITY: ObjectModel = {
  id: 0,
  name: 'LwM2M Security',
  version: '1.1',
  multiple: true,
  mandatory: true,
  note: 'Bootstrap-only object: a management server can neither read nor write it, hence no operations.',
  resources: [
    res(0, 'LwM2M Server URI', '', 'string', { mandatory: true }),
    res(1, 'Bootstrap-Server', '', 'boolean', { mandatory: true }),
    res(2, 'Security Mode', '', 'integer', { mandatory: true, range: '0..4' }),
    res(3, 'Public Key or Identity', '', 'opaque', { mandatory: true }),
    res(4, 'Server Public Key', '', 'opaque', { mandatory: true }),
    res(5, 'Secret Key', '', 'opaque', { mandatory: true }),
    res(6, 'SMS Security Mode', '', 'integer', { range: '0..255' }),
    res(7, 'SMS Binding Key Parameters', '', 'opaque'),
    res(8, 'SMS Binding Secret Key(s)', '', 'opaque'),
    res(9, 'LwM2M Server SMS Number', '', 'string'),
    res(10, 'Short Server ID', '', 'integer', { range: '1..65534' }),
    res(11, 'Client Hold Off Time', '', 'integer', { units: 's' }),
    res(12, 'Bootstrap-Server Account Timeout', '', 'integer', { units: 's' }),
    // 1.1 additions.
    res(13, 'Matching Type', '', 'unsigned', { range: '0..3' }),
    res(14, 'SNI', '', 'string'),
    res(15, 'Certificate Usage', '', 'unsigned', { range: '0..3' }),
    res(16, 'DTLS/TLS Ciphersuite', '', 'unsigned', { multiple: true }),
    res(17, 'OSCORE Security Mode', '', 'objlnk'),
  ],
};

export const SERVER: ObjectModel = {
  id: 1,
  name: 'LwM2M Server',
  version: '1.1',
  multiple: true,
  mandatory: true,
  resources: [
    res(0, 'Short Server ID', 'R', 'integer', { mandatory: true, range: '1..65534' }),
    res(1, 'Lifetime', 'RW', 'integer', { mandatory: true, units: 's' }),
    res(2, 'Default Minimum Period', 'RW', 'integer', { units: 's' }),
    res(3, 'Default Maximum Period', 'RW', 'integer', { units: 's' }),
    exec(4, 'Disable'),
    res(5, 'Disable Timeout', 'RW', 'integer', { units: 's' }),
    res(6, 'Notification Storing When Disabled or Offline', 'RW', 'boolean', { mandatory: true }),
    res(7, 'Binding', 'RW', 'string', { mandatory: true }),
    exec(8, 'Registration Update Trigger', true),
    // 1.1 additions (9–23). Operations of 13–20 are RW as recalled from the 1.1 object; not re-checked.
    exec(9, 'Bootstrap-Request Trigger'),
    res(10, 'APN Link', 'RW', 'objlnk'),
    res(11, 'TLS-DTLS Alert Code', 'R', 'unsigned', { range: '0..255' }),
    res(12, 'Last Bootstrapped', 'R', 'time'),
    res(13, 'Registration Priority Order', 'RW', 'unsigned'),
    res(14, 'Initial Registration Delay Timer', 'RW', 'unsigned', { units: 's' }),
    res(15, 'Registration Failure Block', 'RW', 'boolean'),
    res(16, 'Bootstrap on Registration Failure', 'RW', 'boolean'),
    res(17, 'Communication Retry Count', 'RW', 'unsigned'),
    res(18, 'Communication Retry Timer', 'RW', 'unsigned', { units: 's' }),
    res(19, 'Communication Sequence Delay Timer', 'RW', 'unsigned', { units: 's' }),
    res(20, 'Communication Sequence Retry Count', 'RW', 'unsigned'),
    res(21, 'Trigger', 'RW', 'boolean'),
    res(22, 'Preferred Transport', 'RW', 'string'),
    res(23, 'Mute Send', 'RW', 'boolean'),
  ],
};

export const DEVICE: ObjectModel = {
  id: 3,
  name: 'Device',
  version: '1.1',
  multiple: false,
  mandatory: true,
  resources: [
    res(0, 'Manufacturer', 'R', 'string'),
    res(1, 'Model Number', 'R', 'string'),
    res(2, 'Serial Number', 'R', 'string'),
    res(3, 'Firmware Version', 'R', 'string'),
    exec(4, 'Reboot', true),
    exec(5, 'Factory Reset'),
    res(6, 'Available Power Sources', 'R', 'integer', { multiple: true, range: '0..7' }),
    res(7, 'Power Source Voltage', 'R', 'integer', { multiple: true, units: 'mV' }),
    res(8, 'Power Source Current', 'R', 'integer', { multiple: true, units: 'mA' }),
    res(9, 'Battery Level', 'R', 'integer', { units: '%', range: '0..100' }),
    res(10, 'Memory Free', 'R', 'integer', { units: 'KiB' }),
    res(11, 'Error Code', 'R', 'integer', { mandatory: true, multiple: true, range: '0..32' }),
    exec(12, 'Reset Error Code'),
    res(13, 'Current Time', 'RW', 'time'),
    res(14, 'UTC Offset', 'RW', 'string'),
    res(15, 'Timezone', 'RW', 'string'),
    res(16, 'Supported Binding and Modes', 'R', 'string', { mandatory: true }),
    res(17, 'Device Type', 'R', 'string'),
    res(18, 'Hardware Version', 'R', 'string'),
    res(19, 'Software Version', 'R', 'string'),
    res(20, 'Battery Status', 'R', 'integer', { range: '0..6' }),
    res(21, 'Memory Total', 'R', 'integer', { units: 'KiB' }),
    res(22, 'ExtDevInfo', 'R', 'objlnk', { multiple: true }),
  ],
};

export const CONNECTIVITY_MONITORING: ObjectModel = {
  id: 4,
  name: 'Connectivity Monitoring',
  version: '1.1',
  multiple: false,
  mandatory: false,
  resources: [
    res(0, 'Network Bearer', 'R', 'integer', { mandatory: true }),
    res(1, 'Available Network Bearer', 'R', 'integer', { mandatory: true, multiple: true }),
    res(2, 'Radio Signal Strength', 'R', 'integer', { mandatory: true, units: 'dBm' }),
    res(3, 'Link Quality', 'R', 'integer'),
    res(4, 'IP Addresses', 'R', 'string', { mandatory: true, multiple: true }),
    res(5, 'Router IP Addresses', 'R', 'string', { multiple: true }),
    res(6, 'Link Utilization', 'R', 'integer', { units: '%', range: '0..100' }),
    res(7, 'APN', 'R', 'string', { multiple: true }),
    res(8, 'Cell ID', 'R', 'integer'),
    res(9, 'SMNC', 'R', 'integer'),
    res(10, 'SMCC', 'R', 'integer'),
    // Object version 1.1 additions.
    res(11, 'SignalSNR', 'R', 'integer', { units: 'dB' }),
    res(12, 'LAC', 'R', 'integer'),
    // 13 (Coverage Enhancement Level, object 1.2/1.3) left out: version not certain.
  ],
};

export const FIRMWARE_UPDATE: ObjectModel = {
  id: 5,
  name: 'Firmware Update',
  version: '1.1',
  multiple: false,
  mandatory: false,
  resources: [
    res(0, 'Package', 'W', 'opaque', { mandatory: true }),
    res(1, 'Package URI', 'RW', 'string', { mandatory: true, range: '0..255' }),
    exec(2, 'Update', true),
    res(3, 'State', 'R', 'integer', { mandatory: true, range: '0..3' }),
    // 4 (Update Supported Objects, boolean) existed in object version 1.0 only; kept for 1.0 devices.
    res(4, 'Update Supported Objects', 'RW', 'boolean', { note: 'object version 1.0 only' }),
    res(5, 'Update Result', 'R', 'integer', { mandatory: true, range: '0..9' }),
    res(6, 'PkgName', 'R', 'string'),
    res(7, 'PkgVersion', 'R', 'string'),
    res(8, 'Firmware Update Protocol Support', 'R', 'integer', { multiple: true }),
    res(9, 'Firmware Update Delivery Method', 'R', 'integer', { mandatory: true, range: '0..2' }),
    // 10–13 (Cancel, Severity, Last State Change Time, Maximum Defer Period) are object 1.1 additions,
    // recalled from memory: types as listed, not re-checked.
    exec(10, 'Cancel'),
    res(11, 'Severity', 'RW', 'integer', { range: '0..2' }),
    res(12, 'Last State Change Time', 'R', 'time'),
    res(13, 'Maximum Defer Period', 'RW', 'unsigned', { units: 's' }),
  ],
};

export const BINARY_APP_DATA_CONTAINER: ObjectModel = {
  id: 19,
  name: 'BinaryAppDataContainer',
  version: '1.0',
  multiple: true,
  mandatory: false,
  note: 'Chinese NB-IoT platforms (Huawei OceanConnect/IoTDA, China Telecom AEP) carry vendor binary payloads in 19/0/0 (uplink) and 19/1/0 (downlink).',
  resources: [
    res(0, 'Data', 'RW', 'opaque', { mandatory: true, multiple: true }),
    res(1, 'Data Priority', 'RW', 'integer', { range: '0..255' }),
    res(2, 'Data Creation Time', 'RW', 'time'),
    res(3, 'Data Description', 'RW', 'string'),
    res(4, 'Data Format', 'RW', 'string'),
    res(5, 'App ID', 'RW', 'integer', { range: '0..65535' }),
  ],
};

export const OMA_OBJECTS: readonly ObjectModel[] = [
  SECURITY,
  SERVER,
  DEVICE,
  CONNECTIVITY_MONITORING,
  FIRMWARE_UPDATE,
  BINARY_APP_DATA_CONTAINER,
];
