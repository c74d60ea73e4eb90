import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { INTERNAL_SOURCE } from '../services/AuditService';
import type { PullRequestService } from './PullRequestService';

const TASK_ID = 'tollgate-pull-request-poll';

/**
 * Polls open pull requests on a schedule shared by every backend replica
 * (global scope: one replica runs each round), so merges are noticed even
 * without webhooks.
 */
export async function schedulePullRequestPoll(deps: {
  scheduler: SchedulerService;
  logger: LoggerService;
  pullRequests: PullRequestService;
  intervalMinutes: number;
}): Promise<void> {
  await deps.scheduler.scheduleTask({
    id: TASK_ID,
    scope: 'global',
    frequency: { minutes: deps.intervalMinutes },
    timeout: { minutes: Math.max(1, deps.intervalMinutes) },
    initialDelay: { seconds: 30 },
    fn: async () => {
      const changed = await deps.pullRequests.poll({
        actor: `scheduler:${TASK_ID}`,
        requestId: `${TASK_ID}-${Date.now()}`,
        sourceIp: INTERNAL_SOURCE,
      });
      if (changed > 0) {
        deps.logger.info(`${changed} pull request(s) changed state`);
      }
    },
  });
}
