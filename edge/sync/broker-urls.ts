/**
 * The cloud brokers an edge may use (`cloud.urls`, else `cloud.url`), checked once at config load,
 * and the round robin the uplink walks when a node is unreachable or refuses the gateway.
 * All brokers share one set of TLS settings (cloud.ca_file), so a list mixes no mqtt:// with mqtts://.
 */
import { isIP } from 'node:net';
import { YiwangError } from '../../common/errors.js';

/** Most brokers in `cloud.urls`. */
export const MAX_BROKER_URLS = 16;

/** Where one connect attempt goes: what mqtt.js reads from its options when it opens a stream. */
export interface BrokerTarget {
  url: string;
  protocol: 'mqtt' | 'mqtts';
  host: string;
  port: number;
  /** TLS server name (SNI and certificate check); undefined for an IP address. */
  servername: string | undefined;
}

const bad = (source: string, what: string): never => {
  throw new YiwangError('CONFIG_ERR_INVALID', `${source}: ${what}`);
};

/** Parses one entry of `cloud.urls`: mqtt://host[:port] or mqtts://host[:port], nothing else. */
export function brokerTarget(url: string, where = 'cloud.urls'): BrokerTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return bad(where, `${JSON.stringify(url)} is not a URL (mqtt://host[:port] or mqtts://host[:port])`);
  }
  if (u.protocol !== 'mqtt:' && u.protocol !== 'mqtts:')
    return bad(where, `${JSON.stringify(url)} must be mqtt://host[:port] or mqtts://host[:port]`);
  if (!u.hostname) return bad(where, `${JSON.stringify(url)} names no host`);
  if (u.username || u.password)
    return bad(where, `${JSON.stringify(url)} carries credentials; they come from gateway.id and gateway.secret`);
  if ((u.pathname && u.pathname !== '/') || u.search || u.hash)
    return bad(where, `${JSON.stringify(url)} has a path or query; a broker URL is mqtt://host[:port]`);
  const protocol = u.protocol === 'mqtts:' ? 'mqtts' : 'mqtt';
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  return {
    url,
    protocol,
    host,
    port: u.port ? Number(u.port) : protocol === 'mqtts' ? 8883 : 1883,
    servername: isIP(host) === 0 ? host : undefined,
  };
}

/**
 * Checks `cloud.urls` against `cloud.url` and returns the ordered broker list. `urlGiven`: cloud.url
 * was written in the file (or passed), rather than left at its default.
 * Rules: at most 16 entries, each mqtt:// or mqtts:// host[:port], no repeats, one scheme for all;
 * cloud.url then empty, unset, or equal to the first entry.
 */
export function checkBrokerUrls(
  cloud: { url: string; urls: readonly string[] },
  source: string,
  urlGiven: boolean,
): string[] {
  const urls = cloud.urls;
  if (urls.length === 0) return [cloud.url];
  if (urls.length > MAX_BROKER_URLS)
    bad(source, `cloud.urls lists ${urls.length} brokers; at most ${MAX_BROKER_URLS} are allowed`);
  const targets = urls.map((u, i) => brokerTarget(u, `${source}: cloud.urls[${i}]`));
  const seen = new Set<string>();
  for (const t of targets) {
    if (seen.has(t.url)) bad(source, `cloud.urls lists ${JSON.stringify(t.url)} twice`);
    seen.add(t.url);
  }
  const first = targets[0]!;
  const other = targets.find((t) => t.protocol !== first.protocol);
  if (other)
    bad(
      source,
      `cloud.urls mixes ${first.protocol}:// and ${other.protocol}:// (${JSON.stringify(other.url)}); every broker uses the same TLS settings (cloud.ca_file)`,
    );
  if (urlGiven && cloud.url !== '' && cloud.url !== first.url)
    bad(
      source,
      `cloud.url ${JSON.stringify(cloud.url)} conflicts with cloud.urls, whose first broker is ${JSON.stringify(first.url)}: leave cloud.url out (or empty) or make it the first entry of cloud.urls`,
    );
  return [...urls];
}

/** Round robin over the brokers: `next()` after a failed or lost connection. */
export class BrokerRing {
  readonly targets: BrokerTarget[];
  private i = 0;

  constructor(readonly urls: readonly string[]) {
    if (urls.length === 0) throw new YiwangError('CONFIG_ERR_INVALID', 'no cloud broker URL');
    if (urls.length > MAX_BROKER_URLS)
      throw new YiwangError(
        'CONFIG_ERR_INVALID',
        `${urls.length} cloud brokers; at most ${MAX_BROKER_URLS} are allowed`,
      );
    // one URL: used as written (as before cloud.urls existed), mqtt.js parses it
    this.targets = urls.length === 1 ? [] : urls.map((u) => brokerTarget(u));
  }

  get index(): number {
    return this.i;
  }

  get current(): string {
    return this.urls[this.i]!;
  }

  /** Moves to the next broker; returns its target, or undefined with a single URL (nothing to switch). */
  next(): BrokerTarget | undefined {
    if (this.targets.length < 2) return undefined;
    this.i = (this.i + 1) % this.targets.length;
    return this.targets[this.i];
  }
}
