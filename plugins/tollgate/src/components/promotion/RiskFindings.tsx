import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { InfoCard } from '@backstage/core-components';
import {
  SEVERITIES,
  type RiskFinding,
  type Severity,
} from '@tollgate/plugin-tollgate-common';
import { RiskLevelBadge } from './RiskLevelBadge';

const BY_SEVERITY_DESC = [...SEVERITIES].reverse() as Severity[];

/** Findings grouped by severity, most severe first, each with path and fix. */
export function RiskFindings(props: { risks: RiskFinding[] }) {
  const { risks } = props;
  return (
    <InfoCard title="Risks">
      {risks.length === 0 ? (
        <Typography>
          No risk found: nothing in this promotion makes the target worse
          according to Tollgate's rules.
        </Typography>
      ) : (
        BY_SEVERITY_DESC.map(severity => {
          const group = risks.filter(r => r.severity === severity);
          if (group.length === 0) return null;
          return (
            <section key={severity} aria-label={`${severity} findings`}>
              <Typography variant="h6" component="h3">
                <RiskLevelBadge level={severity} /> {group.length} finding
                {group.length === 1 ? '' : 's'}
              </Typography>
              <List dense>
                {group.map((risk, index) => (
                  <ListItem
                    key={`${risk.ruleId}-${risk.object}-${risk.path}-${index}`}
                    divider
                  >
                    <ListItemText
                      style={{ overflowWrap: 'anywhere' }}
                      primary={risk.message}
                      secondaryTypographyProps={{ component: 'div' }}
                      secondary={
                        <>
                          <div>
                            {risk.object}
                            {risk.path && (
                              <>
                                {' '}
                                at <code>{risk.path}</code>
                              </>
                            )}{' '}
                            · rule <code>{risk.ruleId}</code>
                          </div>
                          <div>
                            <strong>Fix: </strong>
                            {risk.fix}
                          </div>
                        </>
                      }
                    />
                  </ListItem>
                ))}
              </List>
            </section>
          );
        })
      )}
    </InfoCard>
  );
}
