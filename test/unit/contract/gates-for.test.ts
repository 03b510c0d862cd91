import { describe, expect, it } from 'vitest';
import { gatesFor } from '../../../shared/contract/gates-for';
import { FINDING_CATALOGUE } from '../../../shared/findings/catalogue';

/** The gates of each job, decided once: the service's pipeline, the CLI's commands and the app's rail all read them here. */
describe('gatesFor', () => {
  it('gives every job its gates, in the pipeline\u2019s order', () => {
    expect(gatesFor({ kind: 'diagnose' })).toEqual(['E1']);
    expect(gatesFor({ kind: 'bootstrap', dropExisting: false })).toEqual(['E1', 'E2', 'E3']);
    expect(gatesFor({ kind: 'rebuild', dropExisting: true })).toEqual(['E1', 'E2', 'E3', 'R4', 'VERIFY', 'R5']);
    expect(gatesFor({ kind: 'migrate' })).toEqual(['E1', 'R4']);
    expect(gatesFor({ kind: 'upgrade-to', target: 'abc' })).toEqual(['E1', 'R4']);
    expect(gatesFor({ kind: 'verify' })).toEqual(['E1', 'VERIFY']);
    expect(gatesFor({ kind: 'validate' })).toEqual(['E1', 'R5']);
  });

  it('runs a fix as its catalogue action says, and nothing for a finding without one', () => {
    const byAction = new Map<string | null, string[]>();
    for (const [id, entry] of Object.entries(FINDING_CATALOGUE)) byAction.set(entry.action, gatesFor({ kind: 'remediate', findingId: id }));
    expect(byAction.get('run-bootstrap')).toEqual(['E1', 'E2', 'E3']);
    expect(byAction.get('set-guc')).toEqual(['E1', 'E2', 'E3']);
    expect(byAction.get('run-planned-upgrade')).toEqual(['E1', 'R4', 'VERIFY']);
    expect(byAction.get('reapply-migration-grants')).toEqual(['E1', 'VERIFY']);
    expect(byAction.get('reapply-migration-row-security')).toEqual(['E1', 'VERIFY']);
    expect(byAction.get(null)).toEqual([]);
    expect(gatesFor({ kind: 'remediate', findingId: 'NOT-A-FINDING' })).toEqual([]);
  });
});
