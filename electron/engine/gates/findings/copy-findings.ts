import type { HalfMadeCopy } from '../../../../shared/contract/copies';
import type { Finding } from '../../../../shared/report/report';
import { describeHalfMade, unrecordedSnapshotTime } from '../../copies/half-made-copies';
import { makeFinding } from './make-finding';

/** E1's finding for copies a crash left unrecorded or invalid; null when there are none. */
export function halfMadeCopiesFinding(copies: HalfMadeCopy[]): Finding | null {
  if (copies.length === 0) return null;
  const list = copies.map(describeHalfMade).join('; ');
  const kept = copies.filter((copy) => unrecordedSnapshotTime(copy) !== null).length;
  const dropped = copies.length - kept;
  const what = [
    kept
      ? `records ${kept === 1 ? 'the complete snapshot as a snapshot' : `the ${kept} complete snapshots as snapshots`} (listed, restorable, pruned like any other)`
      : '',
    dropped ? `drops ${dropped === 1 ? 'the copy' : `the ${dropped} copies`} nothing can use` : '',
  ]
    .filter(Boolean)
    .join(' and ');
  return makeFinding(
    'COPY-HALF-MADE',
    `${list}. Restore and the cache never use ${copies.length === 1 ? 'it' : 'them'} as ${copies.length === 1 ? 'it is' : 'they are'}. Its fix ${what}.`,
    undefined,
    { gate: 'E1', step: 'half-made-copies' },
  );
}
