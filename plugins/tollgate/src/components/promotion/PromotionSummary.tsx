import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { formatUsd } from '@tollgate/plugin-tollgate-common';
import type { PromotionDetails } from '../../api';
import { RiskLevelBadge } from './RiskLevelBadge';
import { describeSide, formatPercent, formatSignedUsd } from './format';

const useStyles = makeStyles(theme => ({
  box: {
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
    padding: theme.spacing(1.5, 2),
    height: '100%',
  },
  value: { fontSize: '1.4rem', fontWeight: 600 },
}));

function Fact(props: { label: string; children: React.ReactNode }) {
  const classes = useStyles();
  return (
    <div className={classes.box} role="group" aria-label={props.label}>
      <Typography variant="overline" component="div">
        {props.label}
      </Typography>
      <div className={classes.value}>{props.children}</div>
    </div>
  );
}

/** The three things to read first: risk, cost delta and what changes. */
export function PromotionSummary(props: { promotion: PromotionDetails }) {
  const { promotion } = props;
  const cost = promotion.estimated_cost;
  const objects = promotion.summary.objects;
  return (
    <>
      <Typography variant="body2" gutterBottom>
        {describeSide(promotion.source)} → {describeSide(promotion.target)}
      </Typography>
      <Grid container spacing={2}>
        <Grid item xs={12} md={4}>
          <Fact label="Risk">
            <RiskLevelBadge
              level={promotion.risk_level}
              score={promotion.risk_score}
            />
            <Typography variant="body2">
              {promotion.risks.length} finding
              {promotion.risks.length === 1 ? '' : 's'}
            </Typography>
          </Fact>
        </Grid>
        <Grid item xs={12} md={4}>
          <Fact label="Monthly cost delta">
            <span data-testid="cost-delta">{formatSignedUsd(cost.delta)}</span>{' '}
            <Typography variant="body2" component="span">
              {formatPercent(cost.delta_percent)}
            </Typography>
            <Typography variant="body2">
              {formatUsd(cost.baseline)} → {formatUsd(cost.projected)} per month
            </Typography>
          </Fact>
        </Grid>
        <Grid item xs={12} md={4}>
          <Fact label="Objects">
            <span>
              {objects.added} added, {objects.removed} removed,{' '}
              {objects.modified + objects.renamed} modified
            </span>
            <Typography variant="body2">
              {objects.unchanged} unchanged of {objects.total}
            </Typography>
          </Fact>
        </Grid>
      </Grid>
    </>
  );
}
