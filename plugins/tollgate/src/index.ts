/**
 * The Tollgate frontend plugin. Apps on the new frontend system import
 * `@tollgate/plugin-tollgate/alpha`; legacy apps use these exports.
 *
 * @packageDocumentation
 */
export { tollgatePlugin, TollgateClustersPage } from './plugin';
export { tollgateApiRef, TollgateClient, type TollgateApi } from './api';
