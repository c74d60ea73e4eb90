/**
 * The Tollgate backend plugin.
 *
 * @packageDocumentation
 */
export { tollgatePlugin as default } from './plugin';
