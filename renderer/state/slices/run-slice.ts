import type { JobRequest } from '../../../shared/contract/jobs';
import { appError, errorCause } from '../../../shared/errors/app-error';
import { cacheNoteOf } from '../cache-note';
import { fixOutcome } from '../../../shared/findings/fix-outcome';
import { gatesFor } from '../../../shared/contract/gates-for';
import { applyRecentRuns, beginJob, initialRunState, reduceEvents } from '../run-state';
import type { AppState, RunSlice, SliceContext } from '../types';

/** The running job: start, cancel, and the events the bridge hands over. */
export function createRunSlice({ set, get, api, serverCall }: SliceContext): RunSlice {
  return {
    ...initialRunState(),
    jobError: null,

    async startJob(request: JobRequest) {
      const current = get();
      if (current.job) return false;
      const planned = gatesFor(request);
      set({
        ...beginJob(
          current,
          {
            jobId: null,
            kind: request.kind,
            startedAt: Date.now(),
            cancelling: false,
            ...(request.kind === 'remediate' ? { findingId: request.findingId } : {}),
            ...(request.kind === 'upgrade-to' ? { target: request.target } : {}),
          },
          planned,
        ),
        jobError: null,
        followRunningGate: true,
        selectedGate: planned[0] ?? 'E1',
      });
      const result = await serverCall(() => api.startJob(request));
      if (!result.ok) {
        set({ job: null, jobError: result.error, remediating: null });
        return false;
      }
      const jobId = result.value.jobId;
      set((state) => (state.job && state.job.jobId === null ? { job: { ...state.job, jobId } } : {}));
      return true;
    },

    async cancelJob() {
      const job = get().job;
      if (!job || job.cancelling) return;
      if (!job.jobId) {
        set({ jobError: appError('usage', 'The job is still starting; cancel again in a moment.') });
        return;
      }
      set({ job: { ...job, cancelling: true } });
      // Not serialized: cancelling must never wait behind the job's own start.
      const result = await api.cancelJob({ jobId: job.jobId });
      if (!result.ok) {
        set((state) => ({ jobError: result.error, job: state.job ? { ...state.job, cancelling: false } : null }));
      }
    },

    applyEvents(events) {
      const before = get();
      const { state, finished } = reduceEvents(before, events, Date.now());
      const patch: Partial<AppState> = { ...state };
      if (before.followRunningGate && state.runningGate && state.runningGate !== before.selectedGate) patch.selectedGate = state.runningGate;
      if (finished) {
        const fixed = before.job?.kind === 'remediate' ? before.job.findingId : undefined;
        patch.lastFix = fixed
          ? fixOutcome(
              fixed,
              before.findings.find((f) => f.id === fixed),
              finished,
            )
          : null;
        patch.findings = finished.findings;
        patch.jobError = finished.error ?? null;
        patch.remediating = null;
        // A job refused for what the user gave (an invalid profile, no folder) never asked the server: the header keeps what it knew.
        const refusedInput = finished.error !== undefined && errorCause(finished.error.code) === 'input';
        if (!refusedInput)
          patch.serverStatus = { info: finished.server.major === null ? null : finished.server, error: finished.error ?? null, at: Date.now() };
        const cache = cacheNoteOf(finished);
        if (cache) patch.lastCache = cache;
      }
      set(patch);
      if (finished) {
        // The database changed under the graph's overlay, the parity matrix and the list of copies: read them again.
        void get().loadGraph();
        void get().loadParity();
        if (get().view === 'snapshots') void get().loadCopies();
      }
    },

    async loadRecentRuns() {
      const result = await api.getRecentRuns({});
      if (!result.ok || !result.value.last) return;
      const recent = result.value;
      const report = result.value.last;
      set((state) => ({ ...applyRecentRuns(state, recent), findings: report.findings, lastCache: cacheNoteOf(report) ?? state.lastCache }));
    },

    dismissJobError() {
      set({ jobError: null });
    },
  };
}
