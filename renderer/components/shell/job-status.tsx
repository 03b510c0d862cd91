import { GATE_TITLES } from '../../../shared/report/gates';
import { Elapsed } from '../elapsed';
import { useApp } from '../../state/store-context';

const KIND_LABEL: Record<string, string> = {
  diagnose: 'Diagnosis',
  bootstrap: 'Bootstrap',
  rebuild: 'Rebuild',
  migrate: 'Migration',
  verify: 'Schema check',
  remediate: 'Fix',
  'upgrade-to': 'Upgrade',
  validate: 'Validation',
};

/** One line in the header while a job runs: what, where, how long. */
export function JobStatus() {
  const job = useApp((s) => s.job);
  const gate = useApp((s) => s.runningGate);
  const step = useApp((s) => (s.runningGate ? s.gates[s.runningGate].stepIndex : 0));
  const total = useApp((s) => (s.runningGate ? s.gates[s.runningGate].totalSteps : null));
  if (!job) return null;
  const what = job.kind ? KIND_LABEL[job.kind] : 'Job';
  const target = job.findingId ? ` ${job.findingId}` : job.target ? ` to ${job.target}` : '';
  return (
    <span className="job-status" role="status" data-testid="job-status">
      <span className="spinner small" aria-hidden="true" />
      <span>
        {job.cancelling ? 'Cancelling…' : `${what}${target}`}
        {gate && !job.cancelling ? ` · ${gate} ${GATE_TITLES[gate]}${total ? ` [${step}/${total}]` : ''}` : ''}
      </span>
      <Elapsed since={job.startedAt} />
    </span>
  );
}
