/**
 * Shared by the `@sneakpipe` packages themselves, not part of the public API:
 * what is here may change in any release. Not in the API reference.
 *
 * @packageDocumentation
 */
export { RateWindow } from './metrics/rate-window.js';
export { mappingErrors } from './errors/mapping-errors.js';
export { checkRowWidths } from './contracts/row-width.js';
