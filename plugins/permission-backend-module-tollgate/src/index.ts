/**
 * Tollgate's default permission policy: viewer, promoter, approver and admin
 * roles for users and groups from app-config, scoped by environment or
 * cluster.
 *
 * @packageDocumentation
 */
export { permissionModuleTollgatePolicy as default } from './module';
export { TollgatePermissionPolicy } from './TollgatePermissionPolicy';
export {
  normalizeEntityRef,
  readRoleGrants,
  roleIncludes,
  ROLES,
  type Role,
  type RoleGrant,
} from './roleGrants';
