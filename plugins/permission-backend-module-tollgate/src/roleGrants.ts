import { z } from 'zod';
import type { Config } from '@backstage/config';
import {
  tollgateAuditReadPermission,
  tollgatePromotionApprovePermission,
  tollgatePromotionCreatePermission,
} from '@tollgate/plugin-tollgate-common';
import type { Permission } from '@backstage/plugin-permission-common';

export const ROLES = ['viewer', 'promoter', 'approver', 'admin'] as const;
export type Role = (typeof ROLES)[number];

const ENTITY_REF = /^([\w-]+):(?:([\w.-]+)\/)?([\w.-]+)$/;

const grantSchema = z.strictObject({
  role: z.enum(ROLES, { error: `role must be one of ${ROLES.join(', ')}` }),
  members: z
    .array(
      z.string().regex(ENTITY_REF, {
        error: 'members must be entity refs such as group:default/sre',
      }),
    )
    .min(1, 'members must name at least one user or group'),
  environments: z.array(z.string().min(1)).min(1).optional(),
  clusters: z.array(z.string().min(1)).min(1).optional(),
});

/** A role granted to users and groups, possibly limited to some environments or clusters. */
export interface RoleGrant {
  role: Role;
  /** Normalized (lower-case, with namespace) entity refs. */
  members: string[];
  environments?: string[];
  clusters?: string[];
}

/** Reads `tollgate.rbac.roles`; throws naming each invalid entry. */
export function readRoleGrants(config: Config): RoleGrant[] {
  const raw = config.getOptional('tollgate.rbac.roles') ?? [];
  const parsed = z.array(grantSchema).safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map(issue => `[${issue.path.join('.')}] ${issue.message}`)
      .join('; ');
    throw new Error(`Invalid tollgate.rbac.roles: ${problems}`);
  }
  return parsed.data.map(grant => ({
    ...grant,
    members: grant.members.map(normalizeEntityRef),
  }));
}

/** `group:sre` and `Group:default/SRE` both become `group:default/sre`. */
export function normalizeEntityRef(ref: string): string {
  const match = ENTITY_REF.exec(ref.trim());
  if (!match) return ref.toLocaleLowerCase('en-US');
  const [, kind, namespace = 'default', name] = match;
  return `${kind}:${namespace}/${name}`.toLocaleLowerCase('en-US');
}

/** Tollgate permissions each role has, on top of the roles below it. */
const isViewerPermission = (permission: Permission) =>
  permission.attributes.action === 'read' &&
  permission.name !== tollgateAuditReadPermission.name;

const ROLE_CHECKS: Record<Role, (permission: Permission) => boolean> = {
  viewer: isViewerPermission,
  promoter: permission =>
    isViewerPermission(permission) ||
    permission.name === tollgatePromotionCreatePermission.name,
  approver: permission =>
    ROLE_CHECKS.promoter(permission) ||
    permission.name === tollgatePromotionApprovePermission.name,
  admin: () => true,
};

/** Whether the role includes the (Tollgate) permission, ignoring scope. */
export function roleIncludes(role: Role, permission: Permission): boolean {
  return ROLE_CHECKS[role](permission);
}
