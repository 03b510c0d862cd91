import { describe, expect, it } from 'vitest';
import { bundleFindingsLabel, bundleFindingsList, bundleFindingsLists } from '../../../../../renderer/views/findings/bundle-findings';
import { sampleBundle } from '../../sample-bundle';

// Stand-ins for the view's date format and command words, so the test does not depend on the machine's locale.
const time = (iso: string) => `<${iso}>`;
const words = (command: string) => `«${command}»`;

describe('the findings lists of an opened diagnosis file', () => {
  it('shows the saved diagnosis’s list under the time the file was saved, and the last run’s list under that run’s time', () => {
    const bundle = sampleBundle();
    const [saved, lastRun] = bundleFindingsLists(bundle);
    expect(saved.source).toBe('saved');
    expect(saved.report.findings.map((f) => f.id)).toEqual(['ROLES-MISSING']);
    expect(bundleFindingsLabel(saved, bundle, time, words)).toBe(`Read-only diagnosis made when the file was saved, <${bundle.createdAt}>`);
    expect(lastRun.source).toBe('last-run');
    expect(lastRun.report.findings.map((f) => f.id)).toEqual(['FM2']);
    expect(bundleFindingsLabel(lastRun, bundle, time, words)).toBe(`Last run before the file was saved: «rebuild» at <${bundle.lastRun?.startedAt}>`);
    // The list shown is labelled with the run whose findings it holds, never the other's.
    expect(bundleFindingsList(bundle, 'last-run').report).toBe(bundle.lastRun);
    expect(bundleFindingsList(bundle, 'saved').report).toBe(bundle.report);
  });

  it('holds only the saved diagnosis when the app had made no run before saving', () => {
    const bundle = sampleBundle((b) => {
      b.lastRun = null;
    });
    expect(bundleFindingsLists(bundle).map((list) => list.source)).toEqual(['saved']);
    expect(bundleFindingsList(bundle, 'last-run').source).toBe('saved');
  });
});
