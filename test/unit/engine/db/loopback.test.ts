import { describe, expect, it } from 'vitest';
import { checkLoopback, isLoopbackAddress } from '../../../../electron/engine/db/loopback';

describe('loopback decision on resolved addresses', () => {
  it('recognises the loopback ranges', () => {
    for (const address of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', '::ffff:127.0.0.1', '0:0:0:0:0:0:0:1']) {
      expect(isLoopbackAddress(address), address).toBe(true);
    }
    for (const address of ['10.0.0.1', '192.168.1.1', '172.16.0.1', '8.8.8.8', '::2', 'fe80::1', '::ffff:10.0.0.1', 'localhost']) {
      expect(isLoopbackAddress(address), address).toBe(false);
    }
  });

  it('a name is judged by every address it resolves to', async () => {
    expect((await checkLoopback('mydb', async () => ['127.0.0.1', '::1'])).loopback).toBe(true);
    const mixed = await checkLoopback('mydb', async () => ['127.0.0.1', '192.168.0.5']);
    expect(mixed.loopback).toBe(false);
    expect(mixed.reason).toBe('"mydb" resolves to 192.168.0.5, which is not this machine');
  });

  it('IP literals and Unix sockets need no resolver', async () => {
    const never = async (): Promise<string[]> => {
      throw new Error('resolver must not be called');
    };
    expect((await checkLoopback('127.0.0.1', never)).loopback).toBe(true);
    expect((await checkLoopback('[::1]', never)).loopback).toBe(true);
    expect((await checkLoopback('/var/run/postgresql', never)).loopback).toBe(true);
    expect((await checkLoopback('10.0.0.7', never)).loopback).toBe(false);
  });

  it('an unresolvable name is not loopback', async () => {
    const verdict = await checkLoopback('nowhere', async () => {
      throw Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' });
    });
    expect(verdict).toMatchObject({ loopback: false, reason: '"nowhere" could not be resolved' });
  });
});
