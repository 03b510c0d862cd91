import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../../../shared/report/report';
import { compareSideLabel, compareSideTimeTerm, liveFindingsNote } from '../../../../../renderer/views/compare/compare-side-label';
import { sampleBundle } from '../../sample-bundle';

/** Times as the view would print them, fixed so the test does not depend on the machine's locale. */
const at = (iso: string) => `time(${iso})`;
const label = (command: string) => (command === 'diagnose' ? 'diagnosis' : command);
const finding = (id: string): Finding => ({ id, severity: 'error', title: id, evidence: '', remediation: null });

describe('compareSideLabel', () => {
  it('names this machine by the moment it was read, never "Saved"', () => {
    const bundle = sampleBundle((b) => (b.createdAt = '2026-07-12T23:12:06.000Z'));
    const live = { source: 'live', label: 'This machine', bundle, status: 'ready' } as const;
    expect(compareSideLabel(live, at)).toBe('This machine, read at time(2026-07-12T23:12:06.000Z)');
    expect(compareSideTimeTerm(live)).toBe('Read');
    expect(compareSideLabel({ ...live, status: 'loading', bundle: null }, at)).toBe('This machine, being read now');
  });

  it('names a file by its name, saved at its time; an empty side is not chosen', () => {
    const file = { source: 'file', label: 'colleague.json', bundle: sampleBundle(), status: 'ready' } as const;
    expect(compareSideLabel(file, at)).toBe('colleague.json');
    expect(compareSideTimeTerm(file)).toBe('Saved');
    expect(compareSideLabel({ source: null, label: '', bundle: null, status: 'idle' }, at)).toBe('Not chosen');
  });
});

describe('liveFindingsNote', () => {
  const lastDiagnose = { command: 'diagnose', startedAt: '2026-07-12T23:05:01.000Z' };

  it('names the findings of the live read that Findings does not list, and those it lists that the read no longer finds', () => {
    const note = liveFindingsNote(
      [finding('GUC-MISSING'), finding('MIGRATION-GRANTS-MISSING')],
      { findings: [finding('ROLES-MISSING')], report: lastDiagnose, viewingName: null },
      at,
      label,
    );
    expect(note.differs).toBe(true);
    expect(note.text).toBe(
      'This read found 2 findings: GUC-MISSING, MIGRATION-GRANTS-MISSING. Findings is from the last diagnosis (time(2026-07-12T23:05:01.000Z)) and does not list GUC-MISSING, MIGRATION-GRANTS-MISSING, and still lists ROLES-MISSING, which this read no longer finds: Diagnose to bring Findings and its count up to date.',
    );
  });

  it('says the two agree when Findings lists the same findings', () => {
    const note = liveFindingsNote([finding('GUC-MISSING')], { findings: [finding('GUC-MISSING')], report: lastDiagnose, viewingName: null }, at, label);
    expect(note).toEqual({
      differs: false,
      text: 'This read found 1 finding: GUC-MISSING. Findings lists the same, from the last diagnosis (time(2026-07-12T23:05:01.000Z)).',
    });
    expect(liveFindingsNote([], { findings: [], report: lastDiagnose, viewingName: null }, at, label).differs).toBe(false);
  });

  it('says Findings has no diagnosis yet, or shows an opened file instead of this machine', () => {
    expect(liveFindingsNote([finding('GUC-MISSING')], { findings: [], report: null, viewingName: null }, at, label)).toEqual({
      differs: true,
      text: 'This read found 1 finding: GUC-MISSING. Findings has no diagnosis yet: Diagnose to list this machine’s findings there, with their fixes.',
    });
    const viewing = liveFindingsNote([], { findings: [finding('ROLES-MISSING')], report: lastDiagnose, viewingName: 'theirs.json' }, at, label);
    expect(viewing.differs).toBe(true);
    expect(viewing.text).toBe(
      'This read found no findings. Findings shows the open file theirs.json, not this read: close the file and Diagnose to list this machine’s findings there.',
    );
  });
});
