import type { AppApi } from '../../shared/contract/api';
import type { JobEvent } from '../../shared/contract/events';
import { parseRunReport } from '../../shared/report/report-schema';
import { reportOfError } from '../../shared/report/report';
import type { AppStore } from './store';

/** About one display frame: a batch per frame is as often as the user could see a change. */
const FLUSH_MS = 16;

/**
 * The one subscription to engine events, made once at start-up outside React. Events
 * are queued and handed to the store in batches (one per ~frame), so a burst of
 * 10,000 log lines becomes a few dozen store updates, and progress keeps flowing while
 * the user switches views.
 */
export function startBridge(api: AppApi, store: AppStore): () => void {
  let queue: JobEvent[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = () => {
    timer = null;
    const batch = queue;
    queue = [];
    if (batch.length > 0) store.getState().applyEvents(batch);
  };
  const unsubscribe = api.onJobEvent((event) => {
    queue.push(checkedReport(event));
    if (timer === null) timer = setTimeout(flush, FLUSH_MS);
  });
  return () => {
    unsubscribe();
    if (timer !== null) clearTimeout(timer);
    flush();
  };
}

/** A finished job's report crossed a process boundary: it is checked before the store trusts its typed sections. */
function checkedReport(event: JobEvent): JobEvent {
  if (event.kind !== 'job-finished') return event;
  const parsed = parseRunReport(event.report, 'the engine');
  if (parsed.ok) return { ...event, report: parsed.value };
  const command = typeof event.report?.command === 'string' ? event.report.command : 'job';
  return { ...event, report: reportOfError(command, new Date().toISOString(), { host: '', port: 0, embedded: false }, parsed.error) };
}
