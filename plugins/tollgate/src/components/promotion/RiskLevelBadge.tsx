import { makeStyles } from '@material-ui/core/styles';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import InfoIcon from '@material-ui/icons/Info';
import ReportProblemIcon from '@material-ui/icons/ReportProblem';
import ErrorIcon from '@material-ui/icons/Error';
import NewReleasesIcon from '@material-ui/icons/NewReleases';
import type { RiskLevel } from '@tollgate/plugin-tollgate-common';

export const RISK_LABELS: Record<RiskLevel, string> = {
  none: 'No risk found',
  info: 'Info',
  low: 'Low risk',
  medium: 'Medium risk',
  high: 'High risk',
  critical: 'Critical risk',
};

// Dark enough on white for 4.5:1 contrast; the icon and text carry the meaning too.
const COLORS: Record<RiskLevel, string> = {
  none: '#1b5e20',
  info: '#01579b',
  low: '#33691e',
  medium: '#8a4b00',
  high: '#b71c1c',
  critical: '#7f0000',
};

const ICONS: Record<RiskLevel, typeof InfoIcon> = {
  none: CheckCircleIcon,
  info: InfoIcon,
  low: InfoIcon,
  medium: ReportProblemIcon,
  high: ErrorIcon,
  critical: NewReleasesIcon,
};

const useStyles = makeStyles({
  badge: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: 4,
    fontWeight: 600,
    padding: '2px 8px',
    borderRadius: 12,
    border: '1px solid currentColor',
    whiteSpace: 'nowrap',
  },
  icon: { fontSize: '1.1em' },
});

/** A risk level as icon and words, so it never depends on colour alone. */
export function RiskLevelBadge(props: { level: RiskLevel; score?: number }) {
  const classes = useStyles();
  const Icon = ICONS[props.level] ?? InfoIcon;
  const label = RISK_LABELS[props.level] ?? props.level;
  return (
    <span
      className={classes.badge}
      style={{ color: COLORS[props.level] }}
      data-testid="risk-level"
    >
      <Icon className={classes.icon} aria-hidden />
      {label}
      {props.score !== undefined && props.level !== 'none' && (
        <span> (score {props.score})</span>
      )}
    </span>
  );
}
