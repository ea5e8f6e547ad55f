/** The host to show in a URL for a listener: an address of this machine when it binds every interface. */
import { networkInterfaces } from 'node:os';

const WILDCARD = new Set(['0.0.0.0', '::', '']);

export const isWildcard = (host: string): boolean => WILDCARD.has(host);

export function urlHost(host: string): string {
  if (!WILDCARD.has(host)) return host.includes(':') ? `[${host}]` : host;
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

/** `   (all interfaces)` after the URL of a wildcard listener, else nothing. */
export const allInterfaces = (host: string): string => (WILDCARD.has(host) ? '   (all interfaces)' : '');
