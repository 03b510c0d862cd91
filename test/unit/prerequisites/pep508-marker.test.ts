import { describe, expect, it } from 'vitest';
import { evaluateMarker, parseMarker, type MarkerEnvironment } from '../../../shared/prerequisites/pep508-marker';

const linux: MarkerEnvironment = {
  sys_platform: 'linux',
  platform_system: 'Linux',
  os_name: 'posix',
  python_version: '3.11',
  python_full_version: '3.11.7',
  platform_python_implementation: 'CPython',
  implementation_name: 'cpython',
  platform_machine: 'x86_64',
};
const win32: MarkerEnvironment = { ...linux, sys_platform: 'win32', platform_system: 'Windows', os_name: 'nt', platform_machine: 'AMD64' };

const holds = (marker: string, environment: MarkerEnvironment): boolean => {
  const parsed = parseMarker(marker);
  if (!parsed.ok) throw new Error(parsed.message);
  return evaluateMarker(parsed.marker, environment);
};

describe('PEP 508 markers', () => {
  it("evaluates uvicorn[standard]'s platform markers per platform", () => {
    const uvloop = 'sys_platform != "win32" and (sys_platform != "cygwin" and platform_python_implementation != "PyPy") and extra == "standard"';
    expect(holds(uvloop, { ...linux, extra: 'standard' })).toBe(true);
    expect(holds(uvloop, { ...win32, extra: 'standard' })).toBe(false);
    expect(holds(uvloop, { ...linux, extra: '' })).toBe(false);
    expect(holds('sys_platform == "win32" and extra == "standard"', { ...win32, extra: 'standard' })).toBe(true);
  });

  it('compares versions as versions and the rest as strings', () => {
    expect(holds('python_version >= "3.8"', linux)).toBe(true);
    expect(holds('python_version < "3.10"', linux)).toBe(false); // "3.11" < "3.10" as strings would be false too, but 3.9 < 3.10 shows the difference:
    expect(holds('python_version < "3.10"', { ...linux, python_version: '3.9' })).toBe(true);
    expect(holds('"3.8" <= python_version', linux)).toBe(true);
    expect(holds("platform_machine in 'x86_64 X86_64 aarch64 AMD64'", linux)).toBe(true);
    expect(holds("platform_machine not in 'aarch64'", linux)).toBe(true);
    expect(holds('os.name == "nt"', win32)).toBe(true);
  });

  it('normalizes extra names and honours parentheses and precedence', () => {
    expect(holds('extra == "Dev_Tools"', { ...linux, extra: 'dev-tools' })).toBe(true);
    expect(holds('os_name == "nt" or os_name == "posix" and sys_platform == "darwin"', linux)).toBe(false);
    expect(holds('(os_name == "nt" or os_name == "posix") and sys_platform == "linux"', linux)).toBe(true);
  });

  it('refuses what is not a marker, saying where', () => {
    const bad = parseMarker('python_version >= ');
    expect(bad.ok).toBe(false);
    expect(parseMarker('color == "red"').ok).toBe(false);
    expect(parseMarker('(os_name == "nt"').ok).toBe(false);
  });
});
