import type {
  CostFacts,
  ExplanationFacts,
  FieldFacts,
  ObjectFacts,
  RiskFacts,
  SideFacts,
} from './facts';

/**
 * Clear English from the facts alone: where the workload goes, what
 * changes, what it costs per month and what could break, with fixes. The
 * same facts always give the same text.
 */
export function writeDeterministicExplanation(facts: ExplanationFacts): string {
  return [
    `Promoting ${facts.workload} from ${describeSide(
      facts.source,
    )} to ${describeSide(facts.target)}.`,
    describeChanges(facts),
    describeCost(facts.cost),
    describeRisk(facts.risk),
  ].join('\n\n');
}

function describeSide(side: SideFacts): string {
  const where = side.git
    ? `Git ${side.git.ref} (${side.git.repo}, ${side.git.path})`
    : `cluster ${side.cluster}, namespace ${side.namespace}`;
  return side.environment ? `${side.environment} (${where})` : where;
}

function describeChanges(facts: ExplanationFacts): string {
  const { objects } = facts;
  const counts = (
    [
      ['modified', objects.modified],
      ['renamed', objects.renamed],
      ['added', objects.added],
      ['removed', objects.removed],
      ['unchanged', objects.unchanged],
    ] as const
  )
    .filter(([, count]) => count > 0)
    .map(([status, count]) => `${count} ${status}`);
  if (facts.changes.length === 0) {
    return `What changes: nothing; all ${plural(
      objects.total,
      'object',
    )} are the same on both sides.`;
  }
  const lines = facts.changes.map(describeObject);
  if (facts.moreChangedObjects > 0) {
    lines.push(`- and ${plural(facts.moreChangedObjects, 'more object')}.`);
  }
  return [`What changes (${counts.join(', ')}):`, ...lines].join('\n');
}

function describeObject(object: ObjectFacts): string {
  const renamed = object.previousName
    ? `, renamed from ${object.previousName}`
    : '';
  const head = `- ${object.object} (${object.status}${renamed})`;
  if (object.status === 'added' || object.status === 'removed') {
    return `${head}.`;
  }
  const fields = object.fields.map(describeField);
  if (object.moreFields > 0) {
    fields.push(`and ${plural(object.moreFields, 'more field')}`);
  }
  return fields.length > 0 ? `${head}: ${fields.join('; ')}.` : `${head}.`;
}

function describeField(field: FieldFacts): string {
  if (field.hidden) return `${field.path} ${field.change} (values hidden)`;
  switch (field.change) {
    case 'added':
      return `${field.path} set to ${field.after}`;
    case 'removed':
      return `${field.path} removed (was ${field.before})`;
    case 'reordered':
      return `${field.path} reordered`;
    default:
      return `${field.path} ${field.before} -> ${field.after}`;
  }
}

function describeCost(cost: CostFacts): string {
  const change =
    cost.direction === 'unchanged'
      ? `stays at ${cost.projected} per month`
      : `goes from ${cost.baseline} to ${cost.projected} per month, ${
          cost.direction === 'increase' ? 'an increase' : 'a decrease'
        } of ${cost.delta.replace(/^[+-]/, '')}${
          cost.deltaPercent ? ` (${cost.deltaPercent})` : ''
        }`;
  const parts = [`Cost: the estimated cost ${change}.`];
  if (cost.lines.length > 0) {
    const lines = cost.lines.map(
      line => `${line.object} ${line.resource} ${line.text}`,
    );
    parts.push(`Largest changes: ${lines.join('; ')}.`);
  }
  if (cost.warnings.length > 0) {
    parts.push(`Note: ${cost.warnings.join(' ')}`);
  }
  return parts.join(' ');
}

function describeRisk(risk: RiskFacts): string {
  if (risk.count === 0) {
    return 'Risk: none found; nothing gets worse by the rules Tollgate checks.';
  }
  const head = `Risk: ${risk.level} (score ${risk.score}), ${plural(
    risk.count,
    'finding',
  )}.`;
  const top = risk.top.map(
    (finding, index) =>
      `${index + 1}. [${finding.severity}] ${finding.message} Fix: ${
        finding.fix
      }`,
  );
  const more =
    risk.count > risk.top.length
      ? [`and ${plural(risk.count - risk.top.length, 'more finding')}.`]
      : [];
  return [`${head} Top risks:`, ...top, ...more].join('\n');
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
