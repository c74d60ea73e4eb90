export { buildPromotionChange } from './buildPromotionChange';
export { DEFAULT_HELM_VALUES } from './helmValuesLayout';
export type {
  ChangeRequest,
  FileChange,
  HelmValuesOptions,
  PromotionChange,
  RepoFiles,
} from './types';
