/** The generated classes, loaded after numbers.ts has switched 64-bit fields to numbers. Import this, not gen/. */
import './numbers.js';
export { yiwang } from './gen/yiwang.js';
