/**
 * Scaffolder actions for Tollgate promotions: `tollgate:promotion:preview`
 * and `tollgate:promotion:prepare`.
 *
 * @packageDocumentation
 */
export { scaffolderModuleTollgate as default } from './module';
export { createPromotionPreviewAction } from './actions/preview';
export { createPromotionPrepareAction } from './actions/prepare';
export { TollgateClient, type PromotionChange } from './TollgateClient';
