/**
 * IPSO sensor objects 3300 (Generic Sensor), 3303 (Temperature), 3304 (Humidity) and
 * 3316 (Voltage). They share the IPSO reusable resources 5700 (Sensor Value), 5701 (Sensor
 * Units), 5601–5605 (min/max measured and range values, reset) and 5750 (Application Type).
 * 3303 and 3304 version 1.1 add 5518 (Timestamp) and 6050 (Fractional Timestamp).
 */
import { exec, res, type ObjectModel, type ResourceModel } from './model.js';

function sensorResources(units: string | undefined): ResourceModel[] {
  const u = units ? { units } : {};
  return [
    res(5700, 'Sensor Value', 'R', 'float', { mandatory: true, ...u }),
    res(5701, 'Sensor Units', 'R', 'string'),
    res(5601, 'Min Measured Value', 'R', 'float', u),
    res(5602, 'Max Measured Value', 'R', 'float', u),
    res(5603, 'Min Range Value', 'R', 'float', u),
    res(5604, 'Max Range Value', 'R', 'float', u),
    exec(5605, 'Reset Min and Max Measured Values'),
  ];
}

const TIMESTAMPS: ResourceModel[] = [
  res(5518, 'Timestamp', 'R', 'time'),
  res(6050, 'Fractional Timestamp', 'R', 'float', { units: 's', range: '0..1' }),
];

export const GENERIC_SENSOR: ObjectModel = {
  id: 3300,
  name: 'Generic Sensor',
  version: '1.0',
  multiple: true,
  mandatory: false,
  resources: [
    ...sensorResources(undefined),
    res(5750, 'Application Type', 'RW', 'string'),
    res(5751, 'Sensor Type', 'R', 'string'),
  ],
};

export const TEMPERATURE: ObjectModel = {
  id: 3303,
  name: 'Temperature',
  version: '1.1',
  multiple: true,
  mandatory: false,
  note: 'The registry leaves units to resource 5701; Cel is what IPSO temperature sensors report.',
  resources: [...sensorResources('Cel'), res(5750, 'Application Type', 'RW', 'string'), ...TIMESTAMPS],
};

export const HUMIDITY: ObjectModel = {
  id: 3304,
  name: 'Humidity',
  version: '1.1',
  multiple: true,
  mandatory: false,
  resources: [...sensorResources('%RH'), res(5750, 'Application Type', 'RW', 'string'), ...TIMESTAMPS],
};

export const VOLTAGE: ObjectModel = {
  id: 3316,
  name: 'Voltage',
  version: '1.0',
  multiple: true,
  mandatory: false,
  resources: [
    ...sensorResources('V'),
    res(5821, 'Current Calibration', 'RW', 'float'),
    res(5750, 'Application Type', 'RW', 'string'),
  ],
};

export const IPSO_OBJECTS: readonly ObjectModel[] = [GENERIC_SENSOR, TEMPERATURE, HUMIDITY, VOLTAGE];
