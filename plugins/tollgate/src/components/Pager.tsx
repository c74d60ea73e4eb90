import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';

const useStyles = makeStyles(theme => ({
  pager: {
    display: 'flex',
    gap: theme.spacing(2),
    alignItems: 'center',
    marginTop: theme.spacing(1),
  },
}));

/** Offset paging under a table: back, the range shown, forward. Hidden on one page. */
export function Pager(props: {
  offset: number;
  pageSize: number;
  total: number;
  onChange: (offset: number) => void;
  labels: { back: string; forward: string };
}) {
  const classes = useStyles();
  const { offset, pageSize, total, onChange, labels } = props;
  if (total <= pageSize) return null;
  return (
    <div className={classes.pager}>
      <Button
        disabled={offset === 0}
        onClick={() => onChange(Math.max(0, offset - pageSize))}
      >
        {labels.back}
      </Button>
      <Typography variant="body2">
        {offset + 1}–{Math.min(total, offset + pageSize)} of {total}
      </Typography>
      <Button
        disabled={offset + pageSize >= total}
        onClick={() => onChange(offset + pageSize)}
      >
        {labels.forward}
      </Button>
    </div>
  );
}
