/** Host names that are this machine by their spelling; the engine still checks the resolved addresses. */
export function looksLocal(host: string): boolean {
  return ['localhost', '127.0.0.1', '::1', '[::1]'].includes(host.toLowerCase()) || host.startsWith('127.') || host.startsWith('/');
}
