/** Paths of the cloud API's routes for tests that call every route (role matrix, audit, docs). */
export { templateOf } from '../../cloud/audit/audit-actions.js';

/** A concrete path for a route pattern: every parameter becomes `x` (digits: `1`). */
export const samplePath = (re: RegExp): string =>
  re.source
    .replace(/^\^/, '')
    .replace(/\$$/, '')
    .replace(/\\\//g, '/')
    .replace(/\(\\d\+\)/g, '1')
    .replace(/\([^)]*\)/g, 'x');
