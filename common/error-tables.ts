/**
 * Imports every coded-error table so that `registeredErrors()` sees all of them
 * (used by the documentation test and `yiwang-* errors`). Add a line per new table.
 */
import './config.js';
import '../proto/errors.js';
