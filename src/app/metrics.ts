/**
 * Prometheus metrics (SPEC §9), served at `/metrics`. One registry per app instance, so several
 * Unwind servers in one process (tests) never share or clash.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class UnwindMetrics {
  readonly registry = new Registry();
  readonly webhooks = new Counter({ name: 'unwind_webhooks_received_total', help: 'Webhook deliveries received, by event.', labelNames: ['event'], registers: [this.registry] });
  readonly commands = new Counter({ name: 'unwind_commands_total', help: 'Commands handled, by kind (rollback, approve, abort, retry, status, plan, help, reply).', labelNames: ['command'], registers: [this.registry] });
  readonly rollbacksStarted = new Counter({ name: 'unwind_rollbacks_started_total', help: 'Rollbacks opened (tracking issue created), by trigger and first status.', labelNames: ['trigger', 'status'], registers: [this.registry] });
  readonly rollbacksFinished = new Counter({ name: 'unwind_rollbacks_finished_total', help: 'Rollback runs that ended, by status (completed, stopped, aborted).', labelNames: ['status'], registers: [this.registry] });
  readonly rollbackSeconds = new Histogram({
    name: 'unwind_rollback_duration_seconds',
    help: 'Total latency of completed rollbacks, from the request to the last verified merge.',
    buckets: [10, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200],
    registers: [this.registry],
  });
  readonly decisions = new Counter({ name: 'unwind_policy_decisions_total', help: 'Policy decisions, by action and outcome (allowed, pending, denied).', labelNames: ['action', 'outcome'], registers: [this.registry] });
  readonly autoReverts = new Counter({ name: 'unwind_auto_revert_triggers_total', help: 'Failed checks examined for automatic reverts, by outcome (started, ignored).', labelNames: ['outcome'], registers: [this.registry] });
  readonly runFailures = new Counter({ name: 'unwind_run_failures_total', help: 'Rollback runs that ended on an error (the reconciler resumes them).', registers: [this.registry] });

  constructor(activeRollbacks: () => number) {
    new Gauge({
      name: 'unwind_active_rollback_runs',
      help: 'Rollback loops running in this process.',
      registers: [this.registry],
      collect() {
        this.set(activeRollbacks());
      },
    });
    collectDefaultMetrics({ register: this.registry, prefix: 'unwind_' });
  }
}
