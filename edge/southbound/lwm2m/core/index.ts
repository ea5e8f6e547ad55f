/**
 * The I/O-free LwM2M core: paths, the node tree, the object model and one codec per content
 * format. The server core (registration, observation, queue) builds on these exports only.
 */
export * from './errors.js';
export * from './paths.js';
export * from './nodes.js';
export * from './objects/index.js';
export * from './codecs/index.js';
export * from './link-format.js';
export { absoluteTimeMs } from './time.js';
