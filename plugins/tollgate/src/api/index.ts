export {
  tollgateApiRef,
  type AuditLogPage,
  type ObjectFilter,
  type TollgateApi,
} from './TollgateApi';
export { TollgateClient } from './TollgateClient';
export { errorMessage } from './errorMessage';
export type {
  PromotionApprovalEntry,
  PromotionApprovalStatus,
  PromotionDetails,
  PromotionFilter,
  PromotionPullRequest,
} from './promotionTypes';
export type {
  ClusterHealth,
  FleetClusterSummary,
  FleetSummary,
} from '@tollgate/plugin-tollgate-common';
