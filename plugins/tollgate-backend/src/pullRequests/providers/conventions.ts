import { parseEntityRef } from '@backstage/catalog-model';

/** Every pull request Tollgate opens carries this label. */
export const TOLLGATE_LABEL = 'tollgate';

export interface PromotionNaming {
  /** Entity ref, or the workload's name without an entity. */
  subject: string;
  workload: string;
  sourceEnvironment: string | null;
  targetEnvironment: string;
  riskLevel: string;
}

/**
 * One branch per workload and target environment, so a newer promotion
 * updates the open pull request instead of opening another:
 * `tollgate/promote-checkout-api-production`.
 */
export function branchName(naming: PromotionNaming): string {
  return `tollgate/promote-${slug(subjectName(naming))}-${slug(
    naming.targetEnvironment,
  )}`;
}

/** `Promote checkout-api to production (from staging)`. */
export function pullRequestTitle(naming: PromotionNaming): string {
  const from = naming.sourceEnvironment
    ? ` (from ${naming.sourceEnvironment})`
    : '';
  return `Promote ${subjectName(naming)} to ${naming.targetEnvironment}${from}`;
}

export function pullRequestLabels(naming: PromotionNaming): string[] {
  return [
    TOLLGATE_LABEL,
    'promotion',
    `env:${naming.targetEnvironment}`,
    `risk:${naming.riskLevel}`,
  ];
}

function subjectName(naming: PromotionNaming): string {
  try {
    return parseEntityRef(naming.subject).name;
  } catch {
    return naming.workload;
  }
}

/** Lowercase letters, digits and dashes: safe in a ref name. */
function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'workload'
  );
}
