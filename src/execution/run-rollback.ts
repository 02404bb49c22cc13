/**
 * The saga: waves in sequence, steps of one wave concurrently (bounded), a stopped step stops the
 * rollback at its wave and escalates to the owners. Everything is read back from the tracking
 * issue first, so this function is also how a rollback resumes after a crash or a restart.
 */
import { isTransient } from '../github/errors.ts';
import type { IssueInfo, RepoRef } from '../github/port.ts';
import { mapBounded } from '../shared/map-bounded.ts';
import { mdCode, mdMention, mdText } from '../shared/markdown.ts';
import { parseRepo } from '../shared/repo-name.ts';
import type { Waker } from '../shared/waker.ts';
import type { ExecutionDeps } from './deps.ts';
import { LedgerWriter } from './ledger-writer.ts';
import { advanceStep, prefetchStart, waitsUnchanged, type StepProgress } from './advance-step.ts';
import { greenWhile } from './green-by-webhook.ts';
import { RunContext } from './run-context.ts';
import { StateSaver } from './save-state.ts';
import { stepsOfWave, type RollbackState, type RollbackStatus, type StepState } from './state.ts';
import { openTrackingState } from './tracking-issue.ts';
import { reportTampering, TamperedStateError } from '../trust/report-tampering.ts';
import { renderSummary } from './render-summary.ts';
import { abortRun } from './abort-run.ts';
import { requestRecord } from './request-entry.ts';
import { foldedText, foldedWaves, waveSection } from './wave-records.ts';

export interface RunParams {
  readonly deps: ExecutionDeps;
  readonly tracking: RepoRef & { readonly number: number };
  readonly waker: Waker;
  /** Stop after this many idle polls (tests); default: run until the rollback leaves `running`. */
  readonly maxIdlePolls?: number;
  readonly shouldStop?: () => boolean;
  /** True when the reconciler (not a command) started this run: counted in the timings. */
  readonly resumed?: boolean;
  /** Called once when this run leaves `running` (completed, stopped, aborted), with the final state. */
  readonly onEnd?: (state: RollbackState) => void;
  /**
   * Told which repositories the run may wait on (those of the steps of this wave and the ones after it): when its
   * state is read, and each time a wave is done, before the next wave's first effect.
   */
  readonly onRepos?: (repos: ReadonlySet<string>) => void;
  /**
   * The state this process has just written into the tracking issue it opened (its start): the run begins from
   * it instead of reading the issue and its comments back. The issue has no ledger entry yet: only Unwind's App
   * writes them, and this replica holds the rollback's lease.
   */
  readonly opened?: RollbackState;
}

export async function runRollback(params: RunParams): Promise<RollbackStatus | null> {
  const { deps, tracking } = params;
  const read = params.opened ? { state: structuredClone(params.opened), issue: null } : await readTracking(params);
  if (!read) return null;
  const { state, issue } = read;
  if (state.status !== 'running') return state.status;
  params.onRepos?.(reposAhead(state));
  const ctx = new RunContext(deps, state, new LedgerWriter(deps.port, deps.now, deps.trust), new StateSaver(deps.port, deps.trust.keyring), deps.trust.botLogin);
  if (!issue) ctx.ledger.startEmpty();
  else {
    try {
      await ctx.ledger.load(state);
    } catch (err) {
      if (!(err instanceof TamperedStateError)) throw err;
      await reportTampering({ port: deps.port, trust: deps.trust, log: deps.log, issue, why: err.why });
      return null;
    }
  }
  // The signed ledger says the rollback ended after this state was saved: it stays ended.
  const ended = ctx.ledger.ended;
  if (ended) {
    deps.log.warn({ tracking: `${tracking.owner}/${tracking.repo}#${tracking.number}`, seq: state.seq, ended: ended.seq, status: ended.status }, 'tracking state behind its signed ledger; keeping the ending the ledger records');
    await ctx.save((s) => {
      s.status = ended.status;
      s.seq = Math.max(s.seq, ended.seq);
    });
    return ended.status;
  }
  // A state saved under a newer lease: another replica drives the rollback now. (After the ledger's
  // ending, which holds whoever drives: an ended rollback put back by hand is ended again above.)
  const fence = deps.fence;
  if (fence && state.lease && state.lease.epoch > fence.epoch) {
    fence.lose(`the tracking issue was saved under lease epoch ${state.lease.epoch} by ${state.lease.holder}`);
    deps.log.info({ rollback: state.id, epoch: fence.epoch, saved: state.lease.epoch }, 'another replica drives this rollback now');
    return null;
  }
  // The lease epoch goes into the state before anything else is written: an older holder that wakes up finds it.
  if (fence && state.lease?.epoch !== fence.epoch) await ctx.save((s) => void (s.lease = { holder: fence.holder, epoch: fence.epoch }));
  // A deferred wave entry posted just before a crash is not written again (nor folded into a later one).
  state.pendingWaveEntries = state.pendingWaveEntries.filter((w) => !ctx.ledger.hasWaveEntry(w));
  // The request (with its plan and decision) is the ledger's first entry, whoever runs the loop first. The
  // state's own write follows without holding up the first wave: a state one entry behind its ledger is what a
  // crash between an entry and its save leaves too, and the next save writes it.
  if (state.seq === 0) {
    // The first wave's reads go out with it, after it: the entry is what the first revert waits for.
    const recording = ctx.record(requestRecord(state), undefined, { saveLater: true });
    for (const s of stepsOfWave(state, state.wave)) prefetchStart(ctx, s);
    await recording;
  }
  if (params.resumed) {
    const idleMs = issue?.updatedAt ? Math.max(0, deps.now().getTime() - Date.parse(issue.updatedAt)) : 0;
    await ctx.save((s) => {
      s.timings.resumes += 1;
      s.timings.reconciliationMs += Number.isFinite(idleMs) ? idleMs : 0;
    });
  }
  let idle = 0;
  let failures = 0;
  let waitingSince: number | null = null;
  while (state.status === 'running') {
    if (params.shouldStop?.() || fence?.lost) break;
    // What GitHub reported since the last pass: a step waiting for checks in another repository reads nothing.
    const reported = params.waker.changes();
    ctx.changed = failures > 0 ? 'all' : reported;
    try {
      const outcome = await iterate(ctx, params);
      failures = 0;
      if (outcome === 'stop') break;
      if (outcome === 'advanced') {
        idle = 0;
        waitingSince = null;
        continue;
      }
      // Waiting (checks, a human merge, a compensation): time to spare for deferred wave entries.
      const now = deps.now().getTime();
      waitingSince ??= now;
      if (state.pendingWaveEntries.length && now - waitingSince >= (deps.ledgerIdleMs ?? LEDGER_IDLE_MS)) await writeDeferredWaves(ctx);
    } catch (err) {
      // GitHub's 5xx and rate limits: wait and go on from GitHub's state (every effect is looked up
      // before it is made). Anything else, or too many in a row, ends this run; the reconciler resumes it.
      if (!isTransient(err) || ++failures > MAX_TRANSIENT_FAILURES) throw err;
      deps.log.warn({ err: err instanceof Error ? err.message : String(err), attempt: failures }, 'transient GitHub failure; retrying');
      // One failed call is retried soon (not after a whole poll period): 0.5 s, 1 s, 2 s … up to 30 s.
      await params.waker.wait(Math.min(TRANSIENT_BASE_MS * 2 ** (failures - 1), 30_000));
      continue;
    }
    if (params.maxIdlePolls !== undefined && ++idle > params.maxIdlePolls) break;
    await params.waker.wait(deps.pollMs);
  }
  if (state.status !== 'running') params.onEnd?.(state);
  return state.status;
}

/** The signed state in the tracking issue, or null when there is no issue or its state is not Unwind's (reported). */
async function readTracking(params: RunParams): Promise<{ state: RollbackState; issue: IssueInfo } | null> {
  const { deps, tracking } = params;
  const issue = await deps.port.getIssue(tracking, tracking.number);
  if (!issue) return null;
  // Only a state Unwind wrote and signed counts (the issue read is the tracking issue: the body is
  // written when the issue is created, before GitHub has numbered it).
  const opened = openTrackingState(issue, deps.trust);
  if (!opened.ok) {
    await reportTampering({ port: deps.port, trust: deps.trust, log: deps.log, issue, why: opened.why });
    return null;
  }
  return { state: opened.state, issue };
}

const MAX_TRANSIENT_FAILURES = 8;
const TRANSIENT_BASE_MS = 500;

/** See ExecutionDeps.ledgerIdleMs. */
const LEDGER_IDLE_MS = 3_000;

/** One pass over the current wave: 'advanced' (a wave finished), 'wait' (steps are waiting) or 'stop'. */
async function iterate(ctx: RunContext, params: RunParams): Promise<'advanced' | 'wait' | 'stop'> {
  const { state } = ctx;
  const { deps } = params;
  if (state.wave >= state.waveCount) {
    await finish(ctx);
    return 'stop';
  }
  await startWave(ctx);
  const steps = stepsOfWave(state, state.wave);
  // A step waiting for checks nothing was reported about reads nothing: it listens for its webhooks while the
  // others advance, and merges the moment they show its checks green.
  const quiet = new Set(steps.filter((s) => waitsUnchanged(ctx, s)));
  const advancing = mapBounded(steps.filter((s) => !quiet.has(s)), deps.concurrency, (s) => advanceStep(ctx, s));
  const listening = Promise.all([...quiet].map(async (s): Promise<StepProgress> => ((await greenWhile(ctx, s, advancing)) ? advanceStep(ctx, s) : 'waiting')));
  const progress = (await Promise.all([advancing, listening])).flat();
  if (progress.every((p) => p === 'done')) {
    // The last wave's record is the completion entry itself: one paced comment fewer.
    if (state.wave + 1 === state.waveCount) await finish(ctx);
    else {
      await completeWave(ctx);
      params.onRepos?.(reposAhead(state));
    }
    return 'advanced';
  }
  if (progress.includes('stopped') && !progress.includes('waiting')) {
    await stop(ctx);
    return 'stop';
  }
  // While this wave waits (for checks, mostly), the next wave's first reads go out.
  if (!progress.includes('stopped')) for (const s of stepsOfWave(state, state.wave + 1)) prefetchStart(ctx, s);
  return 'wait';
}

/** Lower-case `owner/name` of the repositories of the steps of the current wave and the waves after it. */
function reposAhead(state: RollbackState): ReadonlySet<string> {
  return new Set(state.steps.filter((s) => s.wave >= state.wave).map((s) => s.repo.toLowerCase()));
}

/** A wave's start is noted quietly; the previous wave's completion entry already announced it. */
async function startWave(ctx: RunContext): Promise<void> {
  const { state } = ctx;
  if (state.timings.waves.some((w) => w.wave === state.wave)) return;
  await ctx.note('record:wave_started', (s) => s.timings.waves.push({ wave: s.wave, startedAt: ctx.deps.now().toISOString(), endedAt: null }));
}

/**
 * A finished wave is noted quietly and the next starts at once. Its ledger entry (what each step
 * did: branch, PR, merge, verification, drift) is written when the run next waits long enough, or
 * else folded into the next entry: GitHub paces comments at one per three seconds, so writing it
 * between waves would hold back every later revert. The tracking issue body shows each step live.
 */
async function completeWave(ctx: RunContext): Promise<void> {
  await ctx.note('record:wave_completed', (s) => {
    const timing = s.timings.waves.find((w) => w.wave === s.wave);
    if (timing) timing.endedAt = ctx.deps.now().toISOString();
    if (!s.pendingWaveEntries.includes(s.wave)) s.pendingWaveEntries.push(s.wave);
    s.wave += 1;
  });
}

/** Writes one `wave_completed` entry per deferred wave, oldest first. */
async function writeDeferredWaves(ctx: RunContext): Promise<void> {
  for (const wave of [...ctx.state.pendingWaveEntries].sort((a, b) => a - b)) {
    const section = waveSection(ctx.state, wave);
    const drift = section.record.drift;
    await ctx.record(
      { action: 'wave_completed', actor: ctx.botLogin, outcome: drift.length ? 'completed_with_drift' : 'completed', text: section.lines.join('\n'), details: { ...section.record }, links: section.links },
      (s) => void (s.pendingWaveEntries = s.pendingWaveEntries.filter((w) => w !== wave)),
    );
  }
}

async function stop(ctx: RunContext): Promise<void> {
  const { state } = ctx;
  const stopped = stepsOfWave(state, state.wave).filter((s) => s.state !== 'verified');
  const owners = [...new Set(stopped.flatMap((s) => s.owners))];
  const mention = owners.length ? owners.map((o) => mdMention(o)).join(' ') + ': ' : '';
  const aborting = stopped.flatMap((s) => s.compensations.filter((c) => c.state === 'failed' && c.onFailure === 'abort').map((c) => `${mdCode(c.id)} in ${mdText(s.repo)}`));
  if (aborting.length) return abortForCompensation(ctx, mention, aborting);
  const lines = stopped.map((s) => `- ${mdText(s.repo)}: \`${s.state}\`${s.detail ? ` — ${mdText(s.detail)}` : ''}${s.pr ? ` (${s.pr.url})` : ''}`);
  const folded = foldedWaves(state);
  await ctx.record(
    {
      action: 'escalated',
      actor: ctx.botLogin,
      outcome: 'stopped',
      text: [`${mention}rollback \`${state.id}\` stopped at wave ${state.wave + 1} of ${state.waveCount}.`, '', ...lines, '', 'Fix the cause, then comment `/rollback retry` to resume from this wave, or `/rollback abort`.', '', ...foldedText(folded)].join('\n').trim(),
      details: { wave: state.wave, steps: stopped.map((s) => ({ key: s.key, state: s.state, detail: s.detail })), waves: folded.map((f) => f.record) },
      links: folded.flatMap((f) => f.links),
    },
    (s) => {
      s.status = 'stopped';
      s.pendingWaveEntries = [];
    },
  );
  await ctx.deps.port.addLabels(parseRepo(state.tracking.repo), state.tracking.number, ['unwind:escalated']);
}

/** A compensation with `on_failure: abort` failed for good: the rollback ends here. */
async function abortForCompensation(ctx: RunContext, mention: string, failed: string[]): Promise<void> {
  const { state } = ctx;
  await abortRun(ctx, {
    actor: ctx.botLogin,
    headline: `${mention}rollback \`${state.id}\` aborted at wave ${state.wave + 1} of ${state.waveCount}: compensation ${failed.join(', ')} failed and its contract says \`on_failure: abort\`.`,
    details: { wave: state.wave, compensations: failed },
  });
  await ctx.deps.port.addLabels(parseRepo(state.tracking.repo), state.tracking.number, ['unwind:escalated']);
}

/** Completes the rollback; the last wave and any deferred wave entries go in this entry. */
async function finish(ctx: RunContext): Promise<void> {
  const { state } = ctx;
  const finishedAt = ctx.deps.now().toISOString();
  const last = state.wave < state.waveCount ? state.wave : null;
  const timings = { ...state.timings, finishedAt, waves: state.timings.waves.map((w) => (w.wave === last && !w.endedAt ? { ...w, endedAt: finishedAt } : w)) };
  const folded = foldedWaves(state, last);
  const drift = folded.flatMap((f) => f.record.drift);
  await ctx.record(
    {
      action: 'completed',
      actor: ctx.botLogin,
      outcome: drift.length ? 'completed_with_drift' : 'completed',
      text: [...foldedText(folded), renderSummary({ ...state, timings })].join('\n'),
      details: { timings, waves: folded.map((f) => f.record) },
      links: folded.flatMap((f) => f.links),
    },
    (s) => {
      s.timings = timings;
      if (last !== null) s.wave += 1;
      s.pendingWaveEntries = [];
      s.status = 'completed';
    },
  );
}
