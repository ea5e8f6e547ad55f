/**
 * Imports every coded-error table so that `registeredErrors()` sees all of them
 * (used by the documentation test and `yiwang-* errors`). Add a line per new table.
 */
import './config.js';
import '../proto/errors.js';
import '../edge/errors.js';
import '../cloud/errors.js';
import '../edge/southbound/lwm2m/core/errors.js';
import '../edge/southbound/lwm2m/server/errors.js';
import '../edge/southbound/dlt645/errors.js';
import '../edge/southbound/cjt188/errors.js';
import '../edge/southbound/hj212/errors.js';
import '../edge/profiles/layout/errors.js';
import '../edge/profiles/errors.js';
import '../edge/southbound/onvif/errors.js';
import '../edge/southbound/serial/errors.js';
