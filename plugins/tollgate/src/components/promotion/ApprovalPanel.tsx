import { useState } from 'react';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import LinearProgress from '@material-ui/core/LinearProgress';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import CheckIcon from '@material-ui/icons/Check';
import CloseIcon from '@material-ui/icons/Close';
import CallMergeIcon from '@material-ui/icons/CallMerge';
import { InfoCard, WarningPanel } from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  tollgatePromotionApprovePermission,
  type PromotionPullRequest,
} from '@tollgate/plugin-tollgate-common';
import { errorMessage, tollgateApiRef, type PromotionDetails } from '../../api';
import { formatTime } from './format';

const STATE_LABELS: Record<string, string> = {
  previewed: 'Previewed: waiting for approval',
  approved: 'Approved',
  pr_open: 'Pull request open',
  merged: 'Merged',
  rejected: 'Rejected',
  pr_closed: 'Pull request closed',
  superseded: 'Superseded by a newer preview',
};

const useStyles = makeStyles(theme => ({
  row: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(2),
    flexWrap: 'wrap',
    marginBottom: theme.spacing(1.5),
  },
  progress: { flex: '1 1 160px', maxWidth: 240 },
}));

export function stateLabel(state: string): string {
  return STATE_LABELS[state] ?? state;
}

/**
 * State, approval progress, freeze window, PR link, and Approve/Reject for
 * those who may. Fields the backend does not send yet are simply left out.
 */
export function ApprovalPanel(props: {
  promotion: PromotionDetails;
  onChanged: (promotion: PromotionDetails) => void;
}) {
  const classes = useStyles();
  const { promotion } = props;
  const { approval, pullRequest, approvals } = promotion;
  const permission = usePermission({
    permission: tollgatePromotionApprovePermission,
    resourceRef: promotion.promotion_id,
  });
  const [decision, setDecision] = useState<'approve' | 'reject'>();

  const mayDecide =
    !permission.loading &&
    permission.allowed &&
    approval?.canApprove === true &&
    promotion.state === 'previewed';
  const received = approval?.received ?? 0;
  const required = approval?.required;
  const freeze = approval?.freezeWindow;

  return (
    <InfoCard title="Approval">
      <div className={classes.row}>
        <Chip
          label={`State: ${stateLabel(promotion.state)}`}
          variant="outlined"
        />
        {required !== undefined && required > 0 && (
          <div className={classes.progress}>
            <Typography
              variant="body2"
              id={`approvals-${promotion.promotion_id}`}
            >
              {received} of {required} approval{required === 1 ? '' : 's'}
              {approval?.remaining
                ? ` (${approval.remaining} more needed)`
                : ''}
            </Typography>
            <LinearProgress
              variant="determinate"
              value={Math.min(100, (received / required) * 100)}
              aria-labelledby={`approvals-${promotion.promotion_id}`}
            />
          </div>
        )}
        {pullRequest && <PullRequestLink pullRequest={pullRequest} />}
      </div>

      {freeze && (
        <WarningPanel
          severity="warning"
          title={`Freeze window${
            freeze.name ? ` “${freeze.name}”` : ''
          }: approvals are blocked`}
          message={`Approvals for this environment reopen at ${formatTime(
            freeze.endsAt,
          )}.`}
        />
      )}

      {promotion.pullRequestError && (
        <PullRequestFailure
          promotion={promotion}
          mayRetry={permission.loading ? undefined : permission.allowed}
          onChanged={props.onChanged}
        />
      )}

      {approvals && approvals.length > 0 && (
        <ul aria-label="Decisions">
          {approvals.map((record, index) => (
            <li key={index}>
              <strong>{record.actor}</strong>{' '}
              {record.decision === 'reject' ? 'rejected' : 'approved'}
              {record.at && ` at ${formatTime(record.at)}`}
              {record.comment && `: “${record.comment}”`}
            </li>
          ))}
        </ul>
      )}

      {mayDecide ? (
        <div className={classes.row}>
          <Button
            variant="contained"
            color="primary"
            startIcon={<CheckIcon />}
            onClick={() => setDecision('approve')}
          >
            Approve
          </Button>
          <Button
            variant="outlined"
            startIcon={<CloseIcon />}
            onClick={() => setDecision('reject')}
          >
            Reject
          </Button>
        </div>
      ) : (
        <NotAllowed
          promotion={promotion}
          permissionDenied={!permission.loading && !permission.allowed}
        />
      )}

      <DecisionDialog
        promotion={promotion}
        decision={decision}
        onClose={() => setDecision(undefined)}
        onDone={updated => {
          setDecision(undefined);
          props.onChanged(updated);
        }}
      />
    </InfoCard>
  );
}

/**
 * A hosted pull request is a link; a branch pushed to a plain git remote (the
 * demo's repository on disk) has no web page, so it is named instead.
 */
function PullRequestLink(props: { pullRequest: PromotionPullRequest }) {
  const { url, number, state, headBranch, baseBranch, repo, mergeCommitSha } =
    props.pullRequest;
  const merged = mergeCommitSha
    ? `, merge commit ${mergeCommitSha.slice(0, 7)}`
    : '';
  if (/^https?:\/\//.test(url)) {
    return (
      <Button
        href={url}
        target="_blank"
        rel="noopener noreferrer"
        startIcon={<CallMergeIcon />}
        variant="outlined"
      >
        Pull request{number ? ` #${number}` : ''} ({state}
        {merged})
      </Button>
    );
  }
  return (
    <Typography variant="body2" data-testid="pull-request-branch">
      <CallMergeIcon fontSize="inherit" /> Branch <code>{headBranch}</code> into{' '}
      <code>{baseBranch}</code> of <code>{repo}</code> ({state}
      {merged})
    </Typography>
  );
}

/** Why the pull request did not open, and a retry once the cause is fixed. */
function PullRequestFailure(props: {
  promotion: PromotionDetails;
  /** Undefined while the permission is being checked. */
  mayRetry?: boolean;
  onChanged: (promotion: PromotionDetails) => void;
}) {
  const classes = useStyles();
  const api = useApi(tollgateApiRef);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const { promotion_id: id, pullRequestError, state } = props.promotion;

  const retry = async () => {
    setBusy(true);
    setError(undefined);
    try {
      props.onChanged(await api.retryPullRequest(id));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <WarningPanel
        severity="error"
        defaultExpanded
        title="The pull request could not be opened"
        message={`${pullRequestError!.message} (${formatTime(
          pullRequestError!.at,
        )}). The approval is kept: fix the cause, then retry.`}
      />
      {props.mayRetry === false && state === 'approved' && (
        <Typography variant="body2" style={{ marginTop: 8 }}>
          An approver of this environment can retry it.
        </Typography>
      )}
      {props.mayRetry && state === 'approved' && (
        <div className={classes.row} style={{ marginTop: 8 }}>
          <Button variant="outlined" onClick={retry} disabled={busy}>
            {busy ? 'Opening the pull request…' : 'Retry the pull request'}
          </Button>
          {error && (
            <Typography color="error" role="alert">
              {error}
            </Typography>
          )}
        </div>
      )}
    </>
  );
}

function NotAllowed(props: {
  promotion: PromotionDetails;
  permissionDenied: boolean;
}) {
  const { approval, state } = props.promotion;
  if (!approval) {
    return (
      <Typography variant="body2">
        Approval is not available for this promotion yet.
      </Typography>
    );
  }
  if (state !== 'previewed') return null;
  const reasons = [...(approval.reasons ?? [])];
  if (props.permissionDenied && reasons.length === 0) {
    reasons.push('You do not have permission to approve promotions.');
  }
  if (reasons.length === 0) return null;
  return (
    <>
      <Typography variant="body2">
        You cannot approve this promotion:
      </Typography>
      <ul aria-label="Why you cannot approve">
        {reasons.map(reason => (
          <li key={reason}>{reason}</li>
        ))}
      </ul>
    </>
  );
}

function DecisionDialog(props: {
  promotion: PromotionDetails;
  decision?: 'approve' | 'reject';
  onClose: () => void;
  onDone: (promotion: PromotionDetails) => void;
}) {
  const api = useApi(tollgateApiRef);
  const alertApi = useApi(alertApiRef);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const approving = props.decision === 'approve';

  const submit = async () => {
    if (!approving && !comment.trim()) {
      setError('A rejection needs a comment saying why.');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const id = props.promotion.promotion_id;
      const updated = approving
        ? await api.approvePromotion(id, comment.trim() || undefined)
        : await api.rejectPromotion(id, comment.trim() || undefined);
      alertApi.post({
        message: approving ? 'Promotion approved' : 'Promotion rejected',
        severity: 'success',
        display: 'transient',
      });
      setComment('');
      props.onDone(updated);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={Boolean(props.decision)}
      onClose={busy ? undefined : props.onClose}
      aria-labelledby="tollgate-decision-title"
      fullWidth
      maxWidth="sm"
    >
      <DialogTitle id="tollgate-decision-title">
        {approving ? 'Approve promotion' : 'Reject promotion'}
      </DialogTitle>
      <DialogContent>
        <DialogContentText>
          {approving
            ? 'Once enough approvals are in, Tollgate opens a pull request in the GitOps repository.'
            : 'Rejecting closes this preview; a new preview is needed to promote.'}
        </DialogContentText>
        <TextField
          id="tollgate-decision-comment"
          label={approving ? 'Comment (optional)' : 'Reason (required)'}
          required={!approving}
          value={comment}
          onChange={e => setComment(e.target.value)}
          multiline
          minRows={3}
          fullWidth
          variant="outlined"
        />
        {error && (
          <Typography color="error" role="alert" style={{ marginTop: 8 }}>
            {error}
          </Typography>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose} disabled={busy}>
          Cancel
        </Button>
        <Button
          onClick={submit}
          color="primary"
          variant="contained"
          disabled={busy}
        >
          {approving ? 'Approve' : 'Reject'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
