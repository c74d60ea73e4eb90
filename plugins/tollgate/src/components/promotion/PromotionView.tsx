import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { InfoCard } from '@backstage/core-components';
import type { PromotionDetails } from '../../api';
import { ApprovalPanel } from './ApprovalPanel';
import { CostBreakdown } from './CostBreakdown';
import { DiffViewer } from './DiffViewer';
import { PromotionSummary } from './PromotionSummary';
import { RiskFindings } from './RiskFindings';
import { formatTime } from './format';

/** Everything about one stored promotion, in reading order. */
export function PromotionView(props: {
  promotion: PromotionDetails;
  onChanged?: (promotion: PromotionDetails) => void;
}) {
  const { promotion } = props;
  const explanation = promotion.explanation;
  return (
    <Grid container spacing={3} data-testid="promotion-view">
      <Grid item xs={12}>
        <InfoCard
          title="Promotion preview"
          subheader={`Previewed ${formatTime(promotion.created_at)} by ${
            promotion.created_by
          } · ${promotion.promotion_id}`}
        >
          <PromotionSummary promotion={promotion} />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <ApprovalPanel
          promotion={promotion}
          onChanged={updated => props.onChanged?.(updated)}
        />
      </Grid>
      {explanation?.text && (
        <Grid item xs={12}>
          <InfoCard
            title="Explanation"
            subheader={
              explanation.generator === 'llm'
                ? `Written by ${
                    explanation.model ?? 'an LLM'
                  }; numbers checked against the facts`
                : 'Written from the computed facts'
            }
          >
            <Typography
              component="div"
              style={{ whiteSpace: 'pre-wrap' }}
              data-testid="explanation"
            >
              {explanation.text}
            </Typography>
          </InfoCard>
        </Grid>
      )}
      <Grid item xs={12} lg={6}>
        <RiskFindings risks={promotion.risks} />
      </Grid>
      <Grid item xs={12} lg={6}>
        <CostBreakdown cost={promotion.estimated_cost} />
      </Grid>
      <Grid item xs={12}>
        <DiffViewer diff={promotion.diff} />
      </Grid>
    </Grid>
  );
}
