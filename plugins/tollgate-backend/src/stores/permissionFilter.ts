import type { Knex } from 'knex';
import type { PermissionCriteria } from '@backstage/plugin-permission-common';
import type { FieldFilter, PermissionFilter } from '../permissions/resources';

/** Which column holds each field a permission rule may filter on. */
export type FilterColumns = Partial<Record<FieldFilter['field'], string>>;

/**
 * Narrows a query to the rows a CONDITIONAL decision allows, keeping the
 * decision's allOf / anyOf / not shape. A field the table lacks is an error,
 * never a silently wider result.
 */
export function applyPermissionFilter(
  query: Knex.QueryBuilder,
  filter: PermissionFilter | undefined,
  columns: FilterColumns,
): Knex.QueryBuilder {
  if (!filter) return query;
  return query.where(builder => addCriteria(builder, filter, columns));
}

function addCriteria(
  builder: Knex.QueryBuilder,
  criteria: PermissionCriteria<FieldFilter>,
  columns: FilterColumns,
): void {
  if ('allOf' in criteria) {
    for (const part of criteria.allOf) {
      builder.where(inner => addCriteria(inner, part, columns));
    }
  } else if ('anyOf' in criteria) {
    for (const part of criteria.anyOf) {
      builder.orWhere(inner => addCriteria(inner, part, columns));
    }
  } else if ('not' in criteria) {
    builder.whereNot(inner => addCriteria(inner, criteria.not, columns));
  } else {
    const column = columns[criteria.field];
    if (!column) {
      throw new Error(`This list cannot be filtered by ${criteria.field}`);
    }
    // NOT NULL as well, so that `not` of a rule matches what `apply` does.
    builder.whereNotNull(column).whereIn(column, criteria.values);
  }
}
