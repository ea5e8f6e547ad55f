/**
 * What profiles need from the serial and HJ 212 adapters: the validators of their `[transport.serial]`
 * and `[transport.hj212]` sections and the frame decoders of their vectors. Profiles import no
 * adapter (test/architecture/rules.ts): the composition roots — the agent, the profile commands,
 * the benches and tests — hand these to the loader, which takes them as a required
 * argument, so a caller cannot forget them and silently skip validation.
 */
import type { BindingValidators } from './profiles/validate.js';
import { validateHj212Binding } from './southbound/hj212/binding.js';
import { hj212WireDecoder } from './southbound/hj212/vector-frames.js';
import { validateSerialBinding } from './southbound/serial/binding.js';
import { serialWireDecoder } from './southbound/serial/vector-frames.js';

export const PROFILE_BINDINGS: BindingValidators = {
  serial: validateSerialBinding,
  hj212: validateHj212Binding,
  serialWire: serialWireDecoder,
  hj212Wire: hj212WireDecoder,
};
