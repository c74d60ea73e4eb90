import { makeStyles } from '@material-ui/core/styles';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import ReportProblemIcon from '@material-ui/icons/ReportProblem';
import ErrorIcon from '@material-ui/icons/Error';
import CloudOffIcon from '@material-ui/icons/CloudOff';
import type { ClusterHealth } from '../../api';

export const HEALTH_LABELS: Record<ClusterHealth, string> = {
  healthy: 'Healthy',
  warning: 'Warning',
  critical: 'Critical',
  offline: 'Offline',
};

// 4.5:1 or better on white; icon and word carry the meaning as well.
export const HEALTH_COLORS: Record<ClusterHealth, string> = {
  healthy: '#1b5e20',
  warning: '#8a4b00',
  critical: '#b71c1c',
  offline: '#455a64',
};

export const HEALTH_ICONS: Record<ClusterHealth, typeof ErrorIcon> = {
  healthy: CheckCircleIcon,
  warning: ReportProblemIcon,
  critical: ErrorIcon,
  offline: CloudOffIcon,
};

const useStyles = makeStyles({
  label: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: 4,
    fontWeight: 600,
    whiteSpace: 'nowrap',
  },
});

/** A cluster's health as icon and word. */
export function HealthLabel(props: { health: ClusterHealth }) {
  const classes = useStyles();
  const Icon = HEALTH_ICONS[props.health];
  return (
    <span
      className={classes.label}
      style={{ color: HEALTH_COLORS[props.health] }}
    >
      <Icon fontSize="small" aria-hidden />
      {HEALTH_LABELS[props.health]}
    </span>
  );
}
