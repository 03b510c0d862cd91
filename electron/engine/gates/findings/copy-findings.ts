import type { HalfMadeCopy } from '../../../../shared/contract/copies';
import type { Finding } from '../../../../shared/report/report';
import { describeHalfMade } from '../../copies/half-made-copies';
import { makeFinding } from './make-finding';

/** E1's finding for copies a crash left unfinished; null when there are none. */
export function halfMadeCopiesFinding(copies: HalfMadeCopy[]): Finding | null {
  if (copies.length === 0) return null;
  const list = copies.map(describeHalfMade).join('; ');
  return makeFinding(
    'COPY-HALF-MADE',
    `${list}. ${copies.length === 1 ? 'It is' : 'They are'} not a usable snapshot or template (restore and the cache never use ${copies.length === 1 ? 'it' : 'them'}). ` +
      `Its fix drops ${copies.length === 1 ? 'it' : 'them'}.`,
    undefined,
    { gate: 'E1', step: 'half-made-copies' },
  );
}
