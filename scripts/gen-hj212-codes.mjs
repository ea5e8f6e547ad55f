#!/usr/bin/env node
/**
 * Generates edge/southbound/hj212/pollutant-codes.ts from ../shared/vectors/hj212_pollutant_codes.csv
 * (HJ 212-2017 factor codes with their HJ/T 212-2005 equivalents, from srdgame/lua-HJ212, MIT).
 *
 *   node scripts/gen-hj212-codes.mjs            write the table
 *   node scripts/gen-hj212-codes.mjs --check    exit 1 when the committed table is stale
 *
 * Units are checked, not copied blindly: every unit must be known, a concentration must agree with
 * its emission unit (mg/L→kg, ug/L→g, ng/L→mg, the same per m3), and names that say temperature,
 * humidity, level or pH must carry that unit. A row failing a check needs an entry in CORRECTIONS
 * (with its reason, kept in the output); an unexpected failure, a duplicate code or legacy code,
 * or a stale correction stops the generator.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = new URL('..', import.meta.url);
const CSV = new URL('../shared/vectors/hj212_pollutant_codes.csv', root);
const OUT = new URL('edge/southbound/hj212/pollutant-codes.ts', root);

/** Chinese unit → unit string (SenML names where registered, UCUM-style otherwise). */
const UNITS = {
  '': null,
  无量纲: null,
  年月日时分秒: null,
  '毫克/升': 'mg/L',
  '微克/升': 'ug/L',
  '纳克/升': 'ng/L',
  '毫克/立方米': 'mg/m3',
  '微克/立方米': 'ug/m3',
  '纳克/立方米': 'ng/m3',
  '升/秒': 'l/s',
  '立方米/秒': 'm3/s',
  '立方米/小时': 'm3/h',
  立方米: 'm3',
  千克: 'kg',
  克: 'g',
  毫克: 'mg',
  '千克/立方米': 'kg/m3',
  摄氏度: 'Cel',
  '%': '%',
  千帕: 'kPa',
  帕: 'Pa',
  '米/秒': 'm/s',
  '[角]度': 'deg',
  平方米: 'm2',
  米: 'm',
  '个/升': 'count/L',
  '贝可[勒尔]/升': 'Bq/L',
  '微西[门子]/厘米': 'uS/cm',
  '[色]度': 'PCU',
  分贝: 'dB',
  '安[培]': 'A',
  '毫伏[特]': 'mV',
  '伏[特]': 'V',
  '千瓦[特][小]时': 'kWh',
  分钟: 'min',
  秒: 's',
  '转/分钟': 'r/min',
  '吨/平方千米x月': 't/(km2.month)',
};

/** Emission (排放量) unit a concentration unit implies. */
const TOTAL_FOR = {
  'mg/L': 'kg',
  'ug/L': 'g',
  'ng/L': 'mg',
  'mg/m3': 'kg',
  'ug/m3': 'g',
  'ng/m3': 'mg',
  'l/s': 'm3',
  'm3/s': 'm3',
};

/** Rows whose unit fails a check, with the corrected unit and the reason. */
const CORRECTIONS = {
  a05002: { unit: 'ug/m3', reason: 'ng/m3 contradicts its emission unit g (ng/m3 pairs with mg); ug/m3 assumed' },
  a20007: { unit: 'ug/m3', reason: 'ng/m3 contradicts its emission unit g; ug/m3 assumed' },
  a20026: { unit: 'ug/m3', reason: 'ng/m3 contradicts its emission unit g; ug/m3 assumed' },
  a20044: { unit: 'ug/m3', reason: 'ng/m3 contradicts its emission unit g; ug/m3 assumed' },
  a20058: { unit: 'ug/m3', reason: 'ng/m3 contradicts its emission unit g; ug/m3 assumed' },
  a21001: { unit: 'ug/m3', reason: 'ng/m3 contradicts its emission unit g; ug/m3 assumed' },
  a34001: {
    unit: 'ug/m3',
    reason: 'ng/m3 contradicts its emission unit g; ambient particulates are ug/m3 (GB 3095-2012)',
  },
  a34002: {
    unit: 'ug/m3',
    reason: 'ng/m3 contradicts its emission unit g; ambient particulates are ug/m3 (GB 3095-2012)',
  },
  a34004: {
    unit: 'ug/m3',
    reason: 'ng/m3 contradicts its emission unit g; ambient particulates are ug/m3 (GB 3095-2012)',
  },
  a34005: {
    unit: 'ug/m3',
    reason: 'ng/m3 contradicts its emission unit g; ambient particulates are ug/m3 (GB 3095-2012)',
  },
  i33102: {
    unit: '%RH',
    reason: 'station-room humidity listed in degrees Celsius (also so in copies of the standard); %RH',
  },
  e303xx: {
    unit: null,
    reason: 'blower air volume listed in mg/L, which is not a volume; unit left unknown, set it in the profile',
  },
};

/** Codes listed twice in the CSV: the first row is kept. */
const DUPLICATES = {
  e701xx: 'listed twice (lift-pump current and dosing amount); the second row (dosing, probably e711xx) is dropped',
  g119xx: 'listed twice (desulfurisation rate and inlet SO2); the second row (inlet SO2) is dropped',
};

/** snake_case metric names (Chinese names are kept beside them). */
const NAMES = {
  w00000: 'wastewater_flow',
  w01001: 'ph',
  w01002: 'colour',
  w01006: 'total_dissolved_solids',
  w01009: 'dissolved_oxygen',
  w01010: 'water_temperature',
  w01012: 'suspended_solids',
  w01014: 'conductivity',
  w01017: 'bod5',
  w01018: 'cod',
  w01019: 'permanganate_index',
  w01020: 'toc',
  w02003: 'fecal_coliforms',
  w02006: 'total_bacteria',
  w03001: 'gross_alpha',
  w03002: 'gross_beta',
  w19001: 'surfactants',
  w19002: 'anionic_surfactants',
  w20012: 'barium',
  w20023: 'boron',
  w20038: 'cobalt',
  w20061: 'molybdenum',
  w20089: 'thallium',
  w20092: 'tin',
  w20111: 'total_mercury',
  w20113: 'alkyl_mercury',
  w20115: 'total_cadmium',
  w20116: 'total_chromium',
  w20117: 'hexavalent_chromium',
  w20119: 'total_arsenic',
  w20120: 'total_lead',
  w20121: 'total_nickel',
  w20122: 'total_copper',
  w20123: 'total_zinc',
  w20124: 'total_manganese',
  w20125: 'total_iron',
  w20126: 'total_silver',
  w20127: 'total_beryllium',
  w20128: 'total_selenium',
  w20138: 'copper',
  w20139: 'zinc',
  w20140: 'selenium',
  w20141: 'arsenic',
  w20142: 'mercury',
  w20143: 'cadmium',
  w20144: 'lead',
  w21001: 'total_nitrogen',
  w21003: 'ammonia_nitrogen',
  w21004: 'kjeldahl_nitrogen',
  w21006: 'nitrite',
  w21007: 'nitrate',
  w21011: 'total_phosphorus',
  w21016: 'cyanide',
  w21017: 'fluoride',
  w21019: 'sulfide',
  w21022: 'chloride',
  w21038: 'sulfate',
  w22001: 'petroleum_oils',
  w23002: 'volatile_phenols',
  w25043: 'benzo_a_pyrene',
  w33001: 'hexachlorocyclohexane',
  w33007: 'ddt',
  w99001: 'organic_nitrogen',
  a00000: 'flue_gas_flow',
  a01001: 'temperature',
  a01002: 'humidity',
  a01006: 'air_pressure',
  a01007: 'wind_speed',
  a01008: 'wind_direction',
  a01010: 'ringelmann_blackness',
  a01011: 'flue_gas_velocity',
  a01012: 'flue_gas_temperature',
  a01013: 'flue_gas_pressure',
  a01014: 'flue_gas_humidity',
  a01015: 'cooling_temperature',
  a01016: 'flue_cross_section',
  a01017: 'flue_gas_dynamic_pressure',
  a01901: 'furnace_mean_temperature',
  a01902: 'furnace_dcs_temperature',
  a05001: 'co2',
  a05002: 'methane',
  a05008: 'cfc_11',
  a05009: 'cfc_12',
  a05013: 'cfc_113',
  a19001: 'o2',
  a20007: 'arsenic_air',
  a20016: 'beryllium_compounds',
  a20025: 'cadmium_compounds',
  a20026: 'cadmium_air',
  a20043: 'lead_compounds',
  a20044: 'lead_air',
  a20057: 'mercury_compounds',
  a20058: 'mercury_air',
  a20063: 'nickel_compounds',
  a20091: 'tin_compounds',
  a21001: 'nh3',
  a21002: 'nox',
  a21003: 'no',
  a21004: 'no2',
  a21005: 'co',
  a21017: 'cyanide_air',
  a21018: 'fluoride_air',
  a21022: 'chlorine',
  a21024: 'hcl',
  a21026: 'so2',
  a21028: 'h2s',
  a23001: 'phenols',
  a24003: 'dichloromethane',
  a24004: 'trichloromethane',
  a24005: 'tetrachloromethane',
  a24006: 'dibromochloromethane',
  a24007: 'bromodichloromethane',
  a24008: 'bromomethane',
  a24009: 'tribromomethane',
  a24015: 'chloroethane',
  a24016: 'dichloroethane_1_1',
  a24017: 'dichloroethane_1_2',
  a24018: 'trichloroethane_1_1_1',
  a24019: 'trichloroethane_1_1_2',
  a24020: 'tetrachloroethane_1_1_2_2',
  a24027: 'dichloropropane_1_2',
  a24034: 'dibromoethane_1_2',
  a24036: 'cyclohexane',
  a24042: 'n_hexane',
  a24043: 'n_heptane',
  a24046: 'vinyl_chloride',
  a24047: 'dichloroethylene_1_1',
  a24049: 'trichloroethylene',
  a24050: 'tetrachloroethylene',
  a24053: 'propylene',
  a24054: 'dichloropropene_1_3',
  a24072: 'dioxane_1_4',
  a24078: 'butadiene_1_3',
  a24087: 'hydrocarbons',
  a24088: 'nmhc',
  a24099: 'chloromethane',
  a24110: 'trans_dichloroethylene_1_2',
  a24111: 'cis_dichloroethylene_1_2',
  a24112: 'trans_dichloropropene_1_3',
  a24113: 'hexachlorobutadiene_1_3',
  a25002: 'benzene',
  a25003: 'toluene',
  a25004: 'ethylbenzene',
  a25005: 'xylene',
  a25006: 'o_xylene',
  a25007: 'm_xylene',
  a25008: 'p_xylene',
  a25010: 'chlorobenzene',
  a25011: 'dichlorobenzene_1_2',
  a25012: 'dichlorobenzene_1_3',
  a25013: 'dichlorobenzene_1_4',
  a25014: 'p_ethyltoluene',
  a25015: 'trichlorobenzene_1_2_4',
  a25019: 'trimethylbenzene_1_2_4',
  a25020: 'trimethylbenzene_1_2_3',
  a25021: 'trimethylbenzene_1_3_5',
  a25023: 'nitrobenzene',
  a25038: 'styrene',
  a25044: 'benzo_a_pyrene_air',
  a25072: 'tetrahydrofuran',
  a26001: 'anilines',
  a29017: 'ethyl_acetate',
  a29026: 'vinyl_acetate',
  a30001: 'methanol',
  a30008: 'isopropanol',
  a30022: 'mercaptans',
  a31001: 'formaldehyde',
  a31002: 'acetaldehyde',
  a31024: 'acetone',
  a31025: 'butanone',
  a31030: 'mibk',
  a34001: 'tsp',
  a34002: 'pm10',
  a34004: 'pm2_5',
  a34005: 'pm1',
  a34011: 'dustfall',
  a34013: 'smoke_dust',
  a34017: 'carbon_black_dust',
  a34038: 'asphalt_fume',
  a34039: 'sulfuric_acid_mist',
  a34040: 'chromic_acid_mist',
  a99010: 'acrylonitrile',
  a99049: 'phosgene',
  a99051: 'carbon_disulfide',
  LA: 'sound_level_a',
  L5: 'l5',
  L10: 'l10',
  L50: 'l50',
  L90: 'l90',
  L95: 'l95',
  Leq: 'leq',
  Ldn: 'ldn',
  Ld: 'ld',
  Ln: 'ln',
  LMx: 'lmax',
  LMn: 'lmin',
  e101xx: 'inlet_flow',
  e102xx: 'inlet_cod',
  e103xx: 'inlet_ammonia_nitrogen',
  e104xx: 'inlet_total_phosphorus',
  e105xx: 'inlet_total_nitrogen',
  e106xx: 'inlet_ph',
  e201xx: 'outlet_flow',
  e202xx: 'outlet_cod',
  e203xx: 'outlet_ammonia_nitrogen',
  e204xx: 'outlet_total_phosphorus',
  e205xx: 'outlet_ph',
  e301xx: 'e3_lift_pump_current',
  e302xx: 'e3_blower_current',
  e303xx: 'e3_blower_air_volume',
  e304xx: 'e3_bio_tank_sludge',
  e305xx: 'e3_bio_tank_do',
  e306xx: 'e3_excess_sludge_pump_current',
  e307xx: 'e3_return_sludge_pump_current',
  e308xx: 'e3_return_sludge',
  e309xx: 'e3_excess_sludge',
  e310xx: 'e3_filter_press_current',
  e311xx: 'e3_valve_state',
  e312xx: 'e3_sludge_tank_level',
  e313xx: 'e3_dosing',
  e314xx: 'e3_bio_tank_orp',
  e401xx: 'e4_lift_pump_current',
  e402xx: 'e4_aerator_current',
  e403xx: 'e4_bio_tank_sludge',
  e404xx: 'e4_anaerobic_do',
  e405xx: 'e4_anoxic_do',
  e406xx: 'e4_aerobic_do',
  e407xx: 'e4_excess_sludge_pump_current',
  e408xx: 'e4_return_sludge_pump_current',
  e409xx: 'e4_return_sludge',
  e410xx: 'e4_excess_sludge',
  e411xx: 'e4_filter_press_current',
  e412xx: 'e4_mixer_state',
  e413xx: 'e4_valve_state',
  e414xx: 'e4_anoxic_orp',
  e415xx: 'e4_aerobic_orp',
  e416xx: 'e4_lift_pump_pit_level',
  e417xx: 'e4_sludge_tank_level',
  e418xx: 'e4_dosing',
  e501xx: 'e5_lift_pump_current',
  e502xx: 'e5_aerator_current',
  e503xx: 'e5_air_supply_state',
  e504xx: 'e5_bio_tank_sludge',
  e505xx: 'e5_anaerobic_do',
  e506xx: 'e5_anoxic_do',
  e507xx: 'e5_aerobic_do',
  e508xx: 'e5_mixed_liquor_pump_current',
  e509xx: 'e5_excess_sludge_pump_current',
  e510xx: 'e5_excess_sludge',
  e511xx: 'e5_mixer_state',
  e512xx: 'e5_valve_state',
  e513xx: 'e5_anoxic_orp',
  e514xx: 'e5_aerobic_orp',
  e515xx: 'e5_lift_pump_pit_level',
  e516xx: 'e5_sludge_tank_level',
  e517xx: 'e5_dosing',
  e601xx: 'e6_lift_pump_current',
  e602xx: 'e6_aerator_current',
  e603xx: 'e6_sbr_sludge',
  e604xx: 'e6_sbr_do',
  e605xx: 'e6_excess_sludge_pump_current',
  e606xx: 'e6_return_sludge_pump_current',
  e607xx: 'e6_return_sludge',
  e608xx: 'e6_excess_sludge',
  e609xx: 'e6_filter_press_current',
  e610xx: 'e6_mixer_current',
  e614xx: 'e6_sbr_orp',
  e615xx: 'e6_valve_state',
  e616xx: 'e6_lift_pump_pit_level',
  e617xx: 'e6_sludge_tank_level',
  e701xx: 'e7_lift_pump_current',
  e702xx: 'e7_aerator_current',
  e703xx: 'e7_contact_tank_sludge',
  e704xx: 'e7_contact_tank_do',
  e705xx: 'e7_excess_sludge_pump_current',
  e706xx: 'e7_excess_sludge',
  e707xx: 'e7_filter_press_current',
  e708xx: 'e7_valve_state',
  e709xx: 'e7_lift_pump_pit_level',
  e710xx: 'e7_sludge_tank_level',
  e801xx: 'e8_lift_pump_current',
  e802xx: 'e8_aerator_current',
  e803xx: 'e8_sludge',
  e804xx: 'e8_do',
  e805xx: 'e8_excess_sludge_pump_current',
  g101xx: 'g1_booster_fan_state',
  g102xx: 'g1_booster_fan_current',
  g103xx: 'g1_slurry_circulation_pump_state',
  g104xx: 'g1_slurry_circulation_pump_current',
  g105xx: 'g1_sealant_state',
  g106xx: 'g1_sealant_current',
  g107xx: 'g1_ggh_state',
  g108xx: 'g1_ggh_motor_current',
  g109xx: 'g1_slurry_pump_state',
  g110xx: 'g1_slurry_pump_flow',
  g111xx: 'g1_slurry_ph',
  g112xx: 'g1_demister_state',
  g113xx: 'g1_demister_current',
  g114xx: 'g1_absorber_mixer_state',
  g115xx: 'g1_slurry_density',
  g116xx: 'g1_bypass_damper_opening',
  g117xx: 'g1_gypsum_pump_state',
  g118xx: 'g1_gypsum_pump_current',
  g119xx: 'g1_desulfurization_rate',
  g120xx: 'g1_inlet_nox',
  g121xx: 'g1_inlet_o2',
  g122xx: 'g1_inlet_flow',
  g123xx: 'g1_inlet_temperature',
  g124xx: 'g1_inlet_dust',
  g125xx: 'g1_inlet_pressure',
  g126xx: 'g1_inlet_humidity',
  g127xx: 'g1_outlet_so2',
  g128xx: 'g1_outlet_nox',
  g129xx: 'g1_outlet_o2',
  g130xx: 'g1_outlet_flow',
  g131xx: 'g1_outlet_temperature',
  g132xx: 'g1_outlet_dust',
  g133xx: 'g1_outlet_pressure',
  g134xx: 'g1_outlet_humidity',
  g201xx: 'g2_spray_pump_current',
  g202xx: 'g2_sorbent_conveyor_current',
  g203xx: 'g2_coal_feeder_signal',
  g204xx: 'g2_bed_pressure',
  g205xx: 'g2_bed_temperature',
  g206xx: 'g2_ash_cooler_speed',
  g207xx: 'g2_return_fan_current',
  g208xx: 'g2_induced_fan_current',
  g209xx: 'g2_primary_fan_current',
  g210xx: 'g2_secondary_fan_current',
  g211xx: 'g2_limestone_feeder_current',
  g212xx: 'g2_desulfurization_rate',
  g301xx: 'g3_ammonia_injection_current',
  g302xx: 'g3_dilution_fan_state',
  g303xx: 'g3_dilution_fan_current',
  g304xx: 'g3_ammonia_pump_state',
  g305xx: 'g3_ammonia_pump_current',
  g306xx: 'g3_bypass_damper_state',
  g307xx: 'g3_bypass_damper_opening',
  g308xx: 'g3_bypass_damper_dp',
  i11001: 'analyzer_log',
  i12001: 'analyzer_state',
  i12002: 'analyzer_comm_state',
  i12003: 'cod_analyzer_alarm',
  i13001: 'measurement_range',
  i13002: 'measurement_precision',
  i13003: 'measurement_interval',
  i13004: 'digestion_temperature',
  i13005: 'digestion_duration',
  i13006: 'calibration_time',
  i13007: 'calibration_intercept',
  i13008: 'calibration_slope',
  i13009: 'detection_limit',
  i21001: 'daq_log',
  i22001: 'daq_state',
  i22002: 'daq_user_state',
  i22003: 'daq_uplink_state',
  i22101: 'daq_channel_state',
  i23001: 'local_air_pressure',
  i31001: 'access_log',
  i32001: 'access_state',
  i33001: 'cems_heat_trace_temperature',
  i33002: 'cems_condenser_temperature',
  i33101: 'station_temperature',
  i33102: 'station_humidity',
  i33103: 'station_voltage',
  i33104: 'raw_water_pressure',
  i33105: 'sample_pressure_1',
  i33106: 'sample_pressure_2',
  i33107: 'grit_chamber_cleaning_time',
  i33200: 'plant_current',
  i33201: 'plant_energy_total',
  i33202: 'plant_energy_daily',
  i3331x: 'furnace_upper_temperature',
  i3332x: 'furnace_middle_temperature',
  i3333x: 'furnace_lower_temperature',
  i3334x: 'furnace_secondary_air_temperature',
  i33400: 'production_load',
};

function parseCsv(text) {
  const rows = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const cells = [];
    let cur = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i];
      if (quoted) {
        if (ch === '"' && line[i + 1] === '"') {
          cur += '"';
          i++;
        } else if (ch === '"') quoted = false;
        else cur += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === ',') {
        cells.push(cur);
        cur = '';
      } else cur += ch;
    }
    cells.push(cur);
    rows.push(cells.map((c) => c.trim()));
  }
  return rows;
}

/** Returns the problems of one row's units (empty when consistent). */
function unitProblems(r) {
  const out = [];
  const want = TOTAL_FOR[r.unit];
  if (r.totalUnit && want && want !== r.totalUnit)
    out.push(`concentration ${r.unit} with emission unit ${r.totalUnit} (expected ${want})`);
  if (r.totalUnit && !want) out.push(`emission unit ${r.totalUnit} for non-concentration unit ${r.unit}`);
  if (/温度/.test(r.nameZh) && r.unit !== 'Cel') out.push(`temperature in ${r.unit}`);
  if (/湿度/.test(r.nameZh) && r.unit !== '%RH') out.push(`humidity in ${r.unit}`);
  if (/液位/.test(r.nameZh) && r.unit !== 'm') out.push(`level in ${r.unit}`);
  if (/pH/i.test(r.nameZh) && r.unit !== 'pH') out.push(`pH in ${r.unit}`);
  return out;
}

export function generate() {
  const [head, ...rows] = parseCsv(readFileSync(CSV, 'utf8'));
  if (head.length < 7 || head[0] !== 'ID') throw new Error(`unexpected CSV header ${head.join(',')}`);
  const seen = new Map();
  const legacy = new Map();
  const names = new Map();
  const dropped = [];
  const corrected = [];
  const errors = [];
  const table = [];
  for (const cells of rows) {
    const [code, nameZh, legacyCode, unitZh, totalZh, format, note] = cells;
    if (seen.has(code)) {
      if (!DUPLICATES[code]) errors.push(`${code}: duplicate row`);
      dropped.push({ code, nameZh, reason: DUPLICATES[code] ?? 'duplicate' });
      continue;
    }
    seen.set(code, true);
    if (!(unitZh in UNITS)) errors.push(`${code}: unknown unit ${unitZh}`);
    if (!(totalZh in UNITS)) errors.push(`${code}: unknown emission unit ${totalZh}`);
    let unit = UNITS[unitZh] ?? null;
    if (unit === null && unitZh === '无量纲' && /pH/i.test(nameZh)) unit = 'pH';
    if (unit === '%' && /湿度/.test(nameZh)) unit = '%RH';
    const row = {
      code,
      name: NAMES[code],
      nameZh,
      legacy: legacyCode || null,
      unit,
      unitZh,
      totalUnit: UNITS[totalZh] ?? null,
      format: format || null,
      note: note || null,
    };
    if (!row.name) errors.push(`${code}: no snake_case name in NAMES`);
    else if (names.has(row.name)) errors.push(`${code}: name ${row.name} already used by ${names.get(row.name)}`);
    else names.set(row.name, code);
    if (row.legacy) {
      if (legacy.has(row.legacy))
        errors.push(`${code}: legacy code ${row.legacy} already maps to ${legacy.get(row.legacy)}`);
      legacy.set(row.legacy, code);
    }
    const fix = CORRECTIONS[code];
    if (fix) {
      if (fix.unit === row.unit) errors.push(`${code}: stale correction, unit already ${row.unit}`);
      corrected.push({ code, from: unitZh, to: fix.unit, reason: fix.reason });
      row.unit = fix.unit;
    }
    for (const p of fix && fix.unit === null ? [] : unitProblems(row)) errors.push(`${code} ${nameZh}: ${p}`);
    table.push(row);
  }
  for (const code of Object.keys(CORRECTIONS))
    if (!seen.has(code)) errors.push(`${code}: correction for a code not in the CSV`);
  for (const code of Object.keys(DUPLICATES))
    if (!dropped.some((d) => d.code === code)) errors.push(`${code}: expected duplicate not found`);
  if (errors.length) throw new Error(`hj212 codes: ${errors.length} problem(s):\n  ${errors.join('\n  ')}`);
  return render(table, corrected, dropped);
}

function render(table, corrected, dropped) {
  const j = (v) => JSON.stringify(v);
  const lines = [
    '// Generated by scripts/gen-hj212-codes.mjs from ../shared/vectors/hj212_pollutant_codes.csv. Do not edit.',
    '// HJ 212-2017 factor codes, their HJ/T 212-2005 (legacy) codes and units (checked; see UNIT_CORRECTIONS).',
    '',
    'export interface PollutantCode {',
    '  /** HJ 212-2017 code; a trailing `x`/`xx` is a device-number placeholder (e101xx → e10101). */',
    '  readonly code: string;',
    '  /** snake_case metric name. */',
    '  readonly name: string;',
    '  readonly nameZh: string;',
    '  /** HJ/T 212-2005 code, when there was one. */',
    '  readonly legacy: string | null;',
    '  /** Unit of Rtd/Avg/Min/Max (SenML name where registered), null when dimensionless or unknown. */',
    '  readonly unit: string | null;',
    '  /** Unit of the emission total (Cou). */',
    '  readonly totalUnit: string | null;',
    '  /** Data type from the standard, e.g. N5.2. */',
    '  readonly format: string | null;',
    '  readonly note: string | null;',
    '}',
    '',
    'export const POLLUTANT_CODES: readonly PollutantCode[] = [',
    ...table.map(
      (r) =>
        `  { code: ${j(r.code)}, name: ${j(r.name)}, nameZh: ${j(r.nameZh)}, legacy: ${j(r.legacy)}, unit: ${j(r.unit)}, totalUnit: ${j(r.totalUnit)}, format: ${j(r.format)}, note: ${j(r.note)} },`,
    ),
    '];',
    '',
    '/** Units changed from the CSV, and why. */',
    'export const UNIT_CORRECTIONS: readonly { code: string; from: string; to: string | null; reason: string }[] = [',
    ...corrected.map((c) => `  { code: ${j(c.code)}, from: ${j(c.from)}, to: ${j(c.to)}, reason: ${j(c.reason)} },`),
    '];',
    '',
    '/** CSV rows left out, and why. */',
    'export const DROPPED_ROWS: readonly { code: string; nameZh: string; reason: string }[] = [',
    ...dropped.map((d) => `  { code: ${j(d.code)}, nameZh: ${j(d.nameZh)}, reason: ${j(d.reason)} },`),
    '];',
    '',
  ];
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    const text = generate();
    if (process.argv.includes('--check')) {
      let current = '';
      try {
        current = readFileSync(OUT, 'utf8');
      } catch {
        /* missing counts as stale */
      }
      if (current !== text) {
        console.error('edge/southbound/hj212/pollutant-codes.ts is stale: run node scripts/gen-hj212-codes.mjs');
        process.exit(1);
      }
      console.log('pollutant-codes.ts is up to date');
    } else {
      writeFileSync(OUT, text);
      console.log(`wrote ${fileURLToPath(OUT)}`);
    }
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  }
}
