import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { InfoCard, WarningPanel } from '@backstage/core-components';
import {
  formatUsd,
  type CostWarning,
  type PromotionCost,
} from '@tollgate/plugin-tollgate-common';
import { formatPercent, formatSignedUsd } from './format';

const RESOURCE_LABELS: Record<string, string> = {
  cpu: 'CPU',
  memory: 'Memory',
  gpu: 'GPU',
  storage: 'Storage',
  'load-balancer': 'Load balancer',
};

/** Infracost-style cost table: totals, per-resource lines, HPA band, warnings. */
export function CostBreakdown(props: { cost: PromotionCost }) {
  const { cost } = props;
  return (
    <InfoCard
      title="Monthly cost"
      subheader={`USD per month at ${cost.hours_per_month} h${
        cost.discount_percent ? `, ${cost.discount_percent}% discount` : ''
      }`}
    >
      {cost.warnings.length > 0 && (
        <WarningPanel
          severity="warning"
          title={`${cost.warnings.length} cost warning${
            cost.warnings.length === 1 ? '' : 's'
          }: the estimate may be too low`}
          defaultExpanded
        >
          <ul>
            {cost.warnings.map((warning, index) => (
              <li key={index}>{warningText(warning)}</li>
            ))}
          </ul>
        </WarningPanel>
      )}
      <Table size="small" aria-label="Cost per resource">
        <TableHead>
          <TableRow>
            <TableCell>Object</TableCell>
            <TableCell>Resource</TableCell>
            <TableCell align="right">Baseline</TableCell>
            <TableCell align="right">Projected</TableCell>
            <TableCell align="right">Delta</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {cost.lines.map((line, index) => (
            <TableRow key={`${line.object}-${line.resource}-${index}`}>
              <TableCell>{line.object}</TableCell>
              <TableCell>
                {RESOURCE_LABELS[line.resource] ?? line.resource}
              </TableCell>
              <TableCell
                align="right"
                title={line.formula?.baseline ?? undefined}
              >
                {formatUsd(line.baseline)}
              </TableCell>
              <TableCell
                align="right"
                title={line.formula?.projected ?? undefined}
              >
                {formatUsd(line.projected)}
              </TableCell>
              <TableCell align="right">{formatSignedUsd(line.delta)}</TableCell>
            </TableRow>
          ))}
          <TableRow>
            <TableCell colSpan={2}>
              <strong>Total</strong>
            </TableCell>
            <TableCell align="right">
              <strong>{formatUsd(cost.baseline)}</strong>
            </TableCell>
            <TableCell align="right">
              <strong>{formatUsd(cost.projected)}</strong>
            </TableCell>
            <TableCell align="right">
              <strong>
                {formatSignedUsd(cost.delta)}{' '}
                {formatPercent(cost.delta_percent)}
              </strong>
            </TableCell>
          </TableRow>
        </TableBody>
      </Table>
      {cost.hpa_band && (
        <Typography variant="body2" style={{ marginTop: 12 }}>
          <strong>With autoscaling (HPA min–max): </strong>
          baseline {formatUsd(cost.hpa_band.baseline.min)}–
          {formatUsd(cost.hpa_band.baseline.max)}, projected{' '}
          {formatUsd(cost.hpa_band.projected.min)}–
          {formatUsd(cost.hpa_band.projected.max)} per month
        </Typography>
      )}
      <Typography variant="caption" component="p" style={{ marginTop: 8 }}>
        {cost.text}
      </Typography>
    </InfoCard>
  );
}

function warningText(warning: CostWarning): string {
  return warning.object
    ? `${warning.object}: ${warning.message}`
    : warning.message;
}
