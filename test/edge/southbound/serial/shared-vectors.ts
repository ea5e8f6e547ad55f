/** The golden frames of ../shared/vectors/<file>.json, for the codec tests of every wire protocol. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHARED_DIR } from '../../../../common/paths.js';

export function sharedVectors<V extends { id: string }>(file: string): { vectors: V[]; byId(id: string): V } {
  const vectors = (JSON.parse(readFileSync(join(SHARED_DIR, 'vectors', file), 'utf8')) as { vectors: V[] }).vectors;
  return {
    vectors,
    byId(id) {
      const v = vectors.find((x) => x.id === id);
      if (!v) throw new Error(`vector ${id} missing from ${file}`);
      return v;
    },
  };
}

export const bytes = (hex: string): Buffer => Buffer.from(hex.replace(/\s+/g, ''), 'hex');

/** A binary frame vector (Modbus, DL/T 645, CJ/T 188). */
export interface HexVector {
  id: string;
  hex: string;
  valid: boolean;
  decoded?: Record<string, unknown>;
}
