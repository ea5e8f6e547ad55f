/**
 * The profile index: which profile a device gets, from what is known about it (its facts), and
 * why. Rules a profile declares must all hold when their fact is known; at least one must hold.
 * Load-time checks reject duplicate models and match rules a single device could satisfy twice.
 */
import { YiwangError } from '../../common/errors.js';
import { globMatches, globsIntersect } from './glob.js';
import { inRange, rangesOverlap } from './versions.js';
import type { MatchRules, Profile } from './types.js';

/** What the agent knows about a device. */
export interface DeviceFacts {
  deviceId: string;
  /** The `{layout}` segment of a raw CoAP uplink (`/raw/{layout}/{deviceId}`). */
  coapPath?: string;
  lwm2mEndpoint?: string;
  lwm2mObjects?: readonly number[];
  manufacturer?: string;
  model?: string;
  firmware?: string;
  serialAddress?: string;
  hj212Mn?: string;
  cameraManufacturer?: string;
  cameraModel?: string;
}

export interface RuleResult {
  rule: string;
  want: string;
  have: string | undefined;
  ok: boolean | undefined;
}
export interface Candidate {
  profile: string;
  file: string;
  matched: boolean;
  held: number;
  rules: RuleResult[];
  firmware: RuleResult;
}
export interface Explanation {
  deviceId: string;
  chosen: string | undefined;
  candidates: Candidate[];
  note?: string;
}

type Key = keyof MatchRules;
const RULE_NAMES: Readonly<Record<Key, string>> = {
  lwm2mEndpoint: 'lwm2m_endpoint',
  lwm2mObjects: 'lwm2m_objects',
  manufacturer: 'manufacturer',
  model: 'model',
  coapPath: 'coap_path',
  device: 'device',
  serialAddress: 'serial_address',
  hj212Mn: 'hj212_mn',
  cameraManufacturer: 'camera_manufacturer',
  cameraModel: 'camera_model',
};
const GLOB_KEYS: readonly Key[] = [
  'lwm2mEndpoint',
  'manufacturer',
  'model',
  'device',
  'hj212Mn',
  'cameraManufacturer',
  'cameraModel',
];

function fact(f: DeviceFacts, k: Key): string | readonly number[] | undefined {
  return k === 'device' ? f.deviceId : f[k];
}

function check(rules: MatchRules, f: DeviceFacts): RuleResult[] {
  const out: RuleResult[] = [];
  for (const k of Object.keys(rules) as Key[]) {
    const want = rules[k]!;
    const have = fact(f, k);
    const showWant = Array.isArray(want) ? `[${want.join(', ')}]` : String(want);
    const showHave = have === undefined ? undefined : Array.isArray(have) ? `[${have.join(', ')}]` : String(have);
    let ok: boolean | undefined;
    if (have !== undefined) {
      if (k === 'lwm2mObjects') ok = (want as readonly number[]).every((o) => (have as readonly number[]).includes(o));
      else if (GLOB_KEYS.includes(k)) ok = globMatches(want as string, have as string);
      else ok = want === have;
    }
    out.push({ rule: RULE_NAMES[k], want: showWant, have: showHave, ok });
  }
  return out;
}

/** Could one device satisfy both rule sets? (some rule key in common, and each common key intersects) */
function rulesOverlap(a: MatchRules, b: MatchRules): string | undefined {
  const common = (Object.keys(a) as Key[]).filter((k) => b[k] !== undefined);
  if (common.length === 0) return undefined;
  for (const k of common) {
    if (k === 'lwm2mObjects') continue; // a device may offer both object lists
    const x = a[k] as string;
    const y = b[k] as string;
    if (GLOB_KEYS.includes(k) ? !globsIntersect(x, y) : x !== y) return undefined;
  }
  return common.map((k) => `${RULE_NAMES[k]} (${String(a[k])} / ${String(b[k])})`).join(', ');
}

export class ProfileIndex {
  readonly byId = new Map<string, Profile>();
  private readonly byCoapPath = new Map<string, Profile>();

  /** Builds the index; profiles that duplicate or overlap an earlier one are left out, each with an error. */
  constructor(
    profiles: readonly Profile[],
    readonly rejected: YiwangError[] = [],
  ) {
    const kept: Profile[] = [];
    for (const p of [...profiles].sort((x, y) => x.file.localeCompare(y.file))) {
      const dup = kept.find(
        (k) =>
          k.vendor.toLowerCase() === p.vendor.toLowerCase() &&
          k.model.toLowerCase() === p.model.toLowerCase() &&
          rangesOverlap(k.firmware, p.firmware),
      );
      if (dup) {
        rejected.push(
          new YiwangError(
            'PROFILE_ERR_DUPLICATE',
            `${p.file}: ${p.vendor} ${p.model} (firmware ${p.firmware.text}) is already described by ${dup.file} (firmware ${dup.firmware.text}); ${p.file} is not loaded`,
          ),
        );
        continue;
      }
      let clash: string | undefined;
      let other: Profile | undefined;
      for (const k of kept) {
        if (!rangesOverlap(k.firmware, p.firmware)) continue;
        clash = rulesOverlap(k.match, p.match);
        if (clash !== undefined) {
          other = k;
          break;
        }
      }
      if (other) {
        rejected.push(
          new YiwangError(
            'PROFILE_ERR_OVERLAP',
            `${p.file}: its match rules overlap those of ${other.file} on ${clash}; ${p.file} is not loaded`,
          ),
        );
        continue;
      }
      kept.push(p);
    }
    for (const p of kept) {
      this.byId.set(p.id, p);
      if (p.match.coapPath) this.byCoapPath.set(p.match.coapPath, p);
    }
  }

  get size(): number {
    return this.byId.size;
  }

  list(): Profile[] {
    return [...this.byId.values()];
  }

  /** Everything considered for the device, best first, and the profile chosen. */
  explain(f: DeviceFacts): Explanation {
    const candidates: Candidate[] = [];
    for (const p of this.byId.values()) {
      const rules = check(p.match, f);
      const firmware: RuleResult = {
        rule: 'firmware',
        want: p.firmware.text,
        have: f.firmware,
        ok: f.firmware === undefined ? undefined : inRange(p.firmware, f.firmware),
      };
      const held = rules.filter((r) => r.ok === true).length;
      const matched = rules.length > 0 && held > 0 && !rules.some((r) => r.ok === false) && firmware.ok !== false;
      candidates.push({ profile: p.id, file: p.file, matched, held, rules, firmware });
    }
    candidates.sort(
      (a, b) =>
        Number(b.matched) - Number(a.matched) ||
        b.held - a.held ||
        Number(b.firmware.ok === true) - Number(a.firmware.ok === true) ||
        a.file.localeCompare(b.file),
    );
    const best = candidates[0]?.matched ? candidates[0] : undefined;
    const second = candidates[1];
    const tie = best && second?.matched && second.held === best.held && second.firmware.ok === best.firmware.ok;
    return {
      deviceId: f.deviceId,
      chosen: best?.profile,
      candidates,
      ...(tie
        ? {
            note: `several profiles match equally well (${best.profile}, ${second.profile}); more facts (manufacturer, model, firmware) would decide`,
          }
        : {}),
    };
  }

  /** The profile for a device, or undefined. */
  match(f: DeviceFacts): Profile | undefined {
    if (f.coapPath !== undefined) {
      const p = this.byCoapPath.get(f.coapPath);
      if (p && (f.firmware === undefined || inRange(p.firmware, f.firmware))) return p;
    }
    const id = this.explain(f).chosen;
    return id === undefined ? undefined : this.byId.get(id);
  }
}
