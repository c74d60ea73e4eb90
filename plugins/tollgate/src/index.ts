/**
 * The Tollgate frontend plugin. Apps on the new frontend system import
 * `@tollgate/plugin-tollgate/alpha`; legacy apps use these exports.
 *
 * @packageDocumentation
 */
export {
  tollgatePlugin,
  TollgateClustersPage,
  TollgatePromotionsPage,
  TollgateAuditLogPage,
  TollgateGetStartedPage,
  EntityTollgatePromotionContent,
  EntityTollgateCostContent,
} from './plugin';
export { isTollgateAvailable } from './isTollgateAvailable';
export {
  tollgateApiRef,
  TollgateClient,
  type TollgateApi,
  type PromotionDetails,
  type PromotionFilter,
} from './api';
