import { eraseInactive, purgeExpired, type RetentionDeps } from '../../features/privacy/retention.service.js';
import type { RecurringJob } from '../scheduler.js';

/**
 * Once a night (03:30 in the deployment's zone): expired links are deleted and old messages emptied, then profiles
 * unused for RETENTION_INACTIVE_MONTHS are erased (the count reported is the erased profiles).
 */
export function retention(deps: RetentionDeps & { timeZone: string }): RecurringJob {
  return {
    name: 'retention',
    recipients: async () => [{ id: 'everyone', cron: '30 3 * * *', timeZone: deps.timeZone }],
    run: async (_everyone, occurrence) => {
      await purgeExpired(deps, occurrence);
      return eraseInactive(deps, occurrence);
    },
  };
}
