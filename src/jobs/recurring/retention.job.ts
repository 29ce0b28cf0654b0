import { eraseInactive, type RetentionDeps } from '../../features/privacy/retention.service.js';
import type { RecurringJob } from '../scheduler.js';

/** Once a night (03:30 in the deployment's zone): profiles unused for RETENTION_INACTIVE_MONTHS are erased. */
export function retention(deps: RetentionDeps & { timeZone: string }): RecurringJob {
  return {
    name: 'retention',
    recipients: async () => [{ id: 'everyone', cron: '30 3 * * *', timeZone: deps.timeZone }],
    run: (_everyone, occurrence) => eraseInactive(deps, occurrence),
  };
}
