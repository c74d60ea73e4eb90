import {
  formatUsd,
  REDACTED,
  type PromotionPreview,
  type RiskFinding,
} from '@tollgate/plugin-tollgate-common';
import type { FileChange } from '../change';

export interface BodyInput {
  preview: PromotionPreview;
  files: FileChange[];
  manualSteps: string[];
  /** The preview in the portal. */
  previewUrl: string;
}

/**
 * The pull request's Markdown: cost (Infracost-style), risk findings, the
 * explanation, what a person must still do, and a link to the preview. It
 * is built only from the stored preview, whose values are already
 * redacted; a redaction marker that slipped through is replaced.
 */
export function pullRequestBody(input: BodyInput): string {
  const { preview } = input;
  const sections = [
    `Tollgate promotes **${preview.workload.name}** ${sidesText(preview)}.`,
    costSection(preview),
    riskSection(preview.risks),
    `### Explanation\n\n${preview.explanation.text.trim()}`,
    filesSection(input.files),
    manualSection(input.manualSteps),
    `[Open the preview in the portal](${input.previewUrl}) · promotion \`${preview.promotion_id}\``,
    '<sub>Opened by Tollgate. Merge it to promote; close it to drop the promotion.</sub>',
  ];
  return sections
    .filter(Boolean)
    .join('\n\n')
    .split(REDACTED)
    .join('(not shown)');
}

function sidesText(preview: PromotionPreview): string {
  const name = (side: PromotionPreview['source']) =>
    side.environment ??
    (side.type === 'cluster'
      ? `${side.cluster_name}/${side.namespace}`
      : `${side.path}@${side.ref}`);
  return `from \`${name(preview.source)}\` to \`${name(preview.target)}\``;
}

function costSection(preview: PromotionPreview): string {
  const cost = preview.estimated_cost;
  const rows = [
    '| | Monthly |',
    '| --- | ---: |',
    `| Baseline (${preview.target.environment ?? 'target'} now) | ${formatUsd(
      cost.baseline,
    )} |`,
    `| Projected | ${formatUsd(cost.projected)} |`,
    `| **Delta** | **${cost.text}** |`,
  ];
  const lines = cost.lines
    .filter(line => line.delta !== 0)
    .map(line => `- \`${line.object}\` ${line.resource}: ${line.text}`);
  return [
    `### Cost (${cost.currency} per month)`,
    rows.join('\n'),
    ...(lines.length ? [lines.join('\n')] : []),
  ].join('\n\n');
}

function riskSection(risks: RiskFinding[]): string {
  if (risks.length === 0) return '### Risk\n\nNo findings.';
  const rows = risks.map(
    risk =>
      `| ${risk.severity} | ${cell(risk.message)} | \`${risk.object}${
        risk.path ? ` ${risk.path}` : ''
      }\` | ${cell(risk.fix)} |`,
  );
  return [
    '### Risk',
    [
      '| Severity | Finding | Where | Fix |',
      '| --- | --- | --- | --- |',
      ...rows,
    ].join('\n'),
  ].join('\n\n');
}

function filesSection(files: FileChange[]): string {
  const list = files.map(
    file => `- \`${file.path}\`${file.before === null ? ' (new)' : ''}`,
  );
  return `### Files\n\n${list.join('\n')}`;
}

function manualSection(steps: string[]): string {
  if (steps.length === 0) return '';
  return `### Left to do by hand\n\n${steps
    .map(step => `- [ ] ${step}`)
    .join('\n')}`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
