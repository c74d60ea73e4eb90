import { useState } from 'react';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Switch from '@material-ui/core/Switch';
import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';
import { makeStyles } from '@material-ui/core/styles';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import { InfoCard } from '@backstage/core-components';
import type { DiffResult, ObjectDiff } from '@tollgate/plugin-tollgate-common';
import { formatValue } from './format';

type DiffMode = 'unified' | 'split';

const useStyles = makeStyles(theme => ({
  code: {
    fontFamily: 'monospace',
    fontSize: '0.8rem',
    whiteSpace: 'pre',
    overflowX: 'auto',
    margin: 0,
    width: '100%',
    borderCollapse: 'collapse',
  },
  line: { padding: '0 8px', verticalAlign: 'top' },
  // Light backgrounds keep the text at full contrast; the +/- marker says it too.
  added: { backgroundColor: '#e6ffed' },
  removed: { backgroundColor: '#ffeef0' },
  hunk: { color: theme.palette.text.secondary, backgroundColor: '#f1f8ff' },
  marker: { userSelect: 'none', width: 16, fontWeight: 700 },
  details: { display: 'block' },
  summary: { display: 'flex', alignItems: 'center', gap: 8 },
  toolbar: {
    display: 'flex',
    alignItems: 'center',
    gap: 16,
    flexWrap: 'wrap',
    marginBottom: 8,
  },
  half: { width: '50%' },
}));

const STATUS_LABELS: Record<ObjectDiff['status'], string> = {
  added: 'Added',
  removed: 'Removed',
  modified: 'Modified',
  renamed: 'Renamed',
  unchanged: 'Unchanged',
};

/** Per-object diff: collapsible, unified or side by side, fields listed. */
export function DiffViewer(props: { diff: DiffResult }) {
  const classes = useStyles();
  const [mode, setMode] = useState<DiffMode>('unified');
  const [showUnchanged, setShowUnchanged] = useState(false);
  const objects = props.diff.objects.filter(
    o => showUnchanged || o.status !== 'unchanged',
  );
  return (
    <InfoCard
      title="Diff"
      subheader="The target now (−) and after promotion (+)"
    >
      <div className={classes.toolbar}>
        <ToggleButtonGroup
          value={mode}
          exclusive
          size="small"
          aria-label="Diff view"
          onChange={(_, value) => value && setMode(value)}
        >
          <ToggleButton value="unified" aria-label="Unified view">
            Unified
          </ToggleButton>
          <ToggleButton value="split" aria-label="Side-by-side view">
            Side by side
          </ToggleButton>
        </ToggleButtonGroup>
        <FormControlLabel
          control={
            <Switch
              checked={showUnchanged}
              onChange={e => setShowUnchanged(e.target.checked)}
              color="primary"
            />
          }
          label={`Show unchanged objects (${props.diff.summary.unchanged})`}
        />
      </div>
      {objects.length === 0 && (
        <Typography>
          Nothing differs: the target already runs what the source has.
        </Typography>
      )}
      {objects.map((object, index) => (
        <ObjectDiffPanel
          key={`${object.kind}/${object.namespace ?? ''}/${object.name}`}
          object={object}
          mode={mode}
          defaultExpanded={index === 0 && object.status !== 'unchanged'}
        />
      ))}
    </InfoCard>
  );
}

function ObjectDiffPanel(props: {
  object: ObjectDiff;
  mode: DiffMode;
  defaultExpanded: boolean;
}) {
  const classes = useStyles();
  const { object } = props;
  const title = `${object.kind}/${object.name}`;
  return (
    <Accordion
      defaultExpanded={props.defaultExpanded}
      TransitionProps={{ unmountOnExit: true }}
    >
      <AccordionSummary
        expandIcon={<ExpandMoreIcon />}
        aria-label={`${title}: ${STATUS_LABELS[object.status]}`}
      >
        <div className={classes.summary}>
          <Chip
            size="small"
            variant="outlined"
            label={STATUS_LABELS[object.status]}
          />
          <Typography component="span">
            <strong>{title}</strong>
            {object.previousName && ` (was ${object.previousName})`}
          </Typography>
          {object.changes.length > 0 && (
            <Typography variant="body2" component="span">
              {object.changes.length} field
              {object.changes.length === 1 ? '' : 's'} changed
            </Typography>
          )}
        </div>
      </AccordionSummary>
      <AccordionDetails className={classes.details}>
        {object.changes.length > 0 && <ChangedFields object={object} />}
        {object.unifiedDiff ? (
          <PatchView patch={object.unifiedDiff} mode={props.mode} />
        ) : (
          <Typography variant="body2">No textual difference.</Typography>
        )}
      </AccordionDetails>
    </Accordion>
  );
}

function ChangedFields(props: { object: ObjectDiff }) {
  return (
    <Table
      size="small"
      aria-label={`Changed fields of ${props.object.kind}/${props.object.name}`}
    >
      <TableHead>
        <TableRow>
          <TableCell>Field</TableCell>
          <TableCell>Change</TableCell>
          <TableCell>Now</TableCell>
          <TableCell>After promotion</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.object.changes.map(change => (
          <TableRow key={`${change.path}-${change.type}`}>
            <TableCell>
              <code>{change.path}</code>
            </TableCell>
            <TableCell>{change.type}</TableCell>
            <TableCell>
              <code>{formatValue(change.before)}</code>
            </TableCell>
            <TableCell>
              <code>{formatValue(change.after)}</code>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

interface PatchLine {
  type: 'context' | 'added' | 'removed' | 'hunk';
  text: string;
}

export function parsePatch(patch: string): PatchLine[] {
  const lines: PatchLine[] = [];
  for (const line of patch.split('\n')) {
    if (
      line.startsWith('---') ||
      line.startsWith('+++') ||
      line.startsWith('Index:') ||
      line.startsWith('\\')
    ) {
      continue;
    }
    if (line.startsWith('@@')) lines.push({ type: 'hunk', text: line });
    else if (line.startsWith('+'))
      lines.push({ type: 'added', text: line.slice(1) });
    else if (line.startsWith('-'))
      lines.push({ type: 'removed', text: line.slice(1) });
    else if (line.startsWith(' '))
      lines.push({ type: 'context', text: line.slice(1) });
  }
  return lines;
}

interface SplitRow {
  left?: PatchLine;
  right?: PatchLine;
}

/** Pairs removed and added runs side by side; context lines on both sides. */
export function splitRows(lines: PatchLine[]): SplitRow[] {
  const rows: SplitRow[] = [];
  let removed: PatchLine[] = [];
  let added: PatchLine[] = [];
  const flush = () => {
    for (let i = 0; i < Math.max(removed.length, added.length); i++) {
      rows.push({ left: removed[i], right: added[i] });
    }
    removed = [];
    added = [];
  };
  for (const line of lines) {
    if (line.type === 'removed') removed.push(line);
    else if (line.type === 'added') added.push(line);
    else {
      flush();
      rows.push({ left: line, right: line });
    }
  }
  flush();
  return rows;
}

const MARKERS: Record<PatchLine['type'], string> = {
  added: '+',
  removed: '−',
  context: ' ',
  hunk: '',
};

function PatchView(props: { patch: string; mode: DiffMode }) {
  const classes = useStyles();
  const lines = parsePatch(props.patch);
  const typeClass: Record<PatchLine['type'], string> = {
    added: classes.added,
    removed: classes.removed,
    hunk: classes.hunk,
    context: '',
  };
  const lineClass = (line?: PatchLine) =>
    line ? `${classes.line} ${typeClass[line.type]}` : classes.line;
  if (props.mode === 'unified') {
    return (
      <table className={classes.code} aria-label="Unified diff">
        <tbody>
          {lines.map((line, index) => (
            <tr key={index} className={lineClass(line)}>
              <td
                className={classes.marker}
                aria-label={
                  line.type === 'context' || line.type === 'hunk'
                    ? undefined
                    : line.type
                }
              >
                {MARKERS[line.type]}
              </td>
              <td>{line.text}</td>
            </tr>
          ))}
        </tbody>
      </table>
    );
  }
  return (
    <table className={classes.code} aria-label="Side-by-side diff">
      <thead>
        <tr>
          <th className={classes.half} colSpan={2}>
            Now
          </th>
          <th className={classes.half} colSpan={2}>
            After promotion
          </th>
        </tr>
      </thead>
      <tbody>
        {splitRows(lines).map((row, index) => (
          <tr key={index}>
            <td className={`${lineClass(row.left)} ${classes.marker}`}>
              {row.left ? MARKERS[row.left.type] : ''}
            </td>
            <td className={lineClass(row.left)}>{row.left?.text ?? ''}</td>
            <td className={`${lineClass(row.right)} ${classes.marker}`}>
              {row.right ? MARKERS[row.right.type] : ''}
            </td>
            <td className={lineClass(row.right)}>{row.right?.text ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
