import { describe, expect, it } from 'vitest';
import { isTrustedSender } from '../../../electron/ipc/trusted-sender';

const PAGE = 'file:///opt/Skeldir%20Rebuild/resources/app/dist/renderer/index.html';
const ours = { isOurWindow: true, isMainFrame: true };

describe('isTrustedSender', () => {
  it('accepts our page in our main frame, with or without a fragment or query', () => {
    expect(isTrustedSender({ ...ours, url: PAGE }, PAGE)).toBe(true);
    expect(isTrustedSender({ ...ours, url: `${PAGE}#/graph` }, PAGE)).toBe(true);
    expect(isTrustedSender({ ...ours, url: `${PAGE}?view=gates` }, PAGE)).toBe(true);
  });

  it('refuses subframes, other windows, destroyed frames and other documents', () => {
    expect(isTrustedSender({ ...ours, isMainFrame: false, url: PAGE }, PAGE)).toBe(false);
    expect(isTrustedSender({ ...ours, isOurWindow: false, url: PAGE }, PAGE)).toBe(false);
    expect(isTrustedSender({ ...ours, url: null }, PAGE)).toBe(false);
    expect(isTrustedSender({ ...ours, url: 'file:///tmp/evil/index.html' }, PAGE)).toBe(false);
    expect(isTrustedSender({ ...ours, url: 'https://example.com/dist/renderer/index.html' }, PAGE)).toBe(false);
    expect(isTrustedSender({ ...ours, url: 'not a url' }, PAGE)).toBe(false);
  });
});
