import { describe, expect, it } from 'vitest';
import { parseRequirementsFile } from '../../../shared/prerequisites/requirement-line';
import { unmetRequirements, type InstalledDistribution } from '../../../shared/prerequisites/unmet-requirements';

const linux = { sys_platform: 'linux', platform_python_implementation: 'CPython', python_version: '3.11', os_name: 'posix' };
const win32 = { ...linux, sys_platform: 'win32', os_name: 'nt' };

function sources(text: string) {
  return parseRequirementsFile(text).requirements.map((requirement) => ({ file: 'backend/requirements.txt', requirement }));
}

const dist = (version: string, requires: string[] = [], modules: string[] = []): InstalledDistribution => ({ version, requires, modules });

const uvicorn = dist(
  '0.30.0',
  [
    'click>=7.0',
    'uvloop>=0.15.1; (sys_platform != "win32" and (sys_platform != "cygwin" and platform_python_implementation != "PyPy")) and extra == "standard"',
    'colorama>=0.4; sys_platform == "win32" and extra == "standard"',
  ],
  ['uvicorn'],
);

describe('unmetRequirements', () => {
  it('names what is missing or too old, and whether the code imports it', () => {
    const unmet = unmetRequirements({
      requirements: sources('sqlalchemy>=2.0.23\nalembic>=1.13\npython-dotenv>=1.0\ndatamodel-code-generator==0.25.0\n'),
      installed: { sqlalchemy: dist('2.0.9', [], ['sqlalchemy']), alembic: dist('1.20.0', [], ['alembic']) },
      environment: linux,
      imported: ['sqlalchemy', 'alembic', 'dotenv'],
    });
    expect(unmet.map((u) => [u.name, u.installed, u.needed, u.install])).toEqual([
      ['sqlalchemy', '2.0.9', true, 'sqlalchemy>=2.0.23'],
      ['python-dotenv', null, true, 'python-dotenv>=1.0'],
      ['datamodel-code-generator', null, false, 'datamodel-code-generator==0.25.0'],
    ]);
    expect(unmet[1].importedAs).toEqual(['dotenv']);
  });

  it("evaluates an extra's dependencies with the interpreter's markers (uvicorn[standard] on win32)", () => {
    const input = { requirements: sources('uvicorn[standard]>=0.24.0\n'), installed: { uvicorn, click: dist('8.1.0') }, imported: ['uvicorn'] };
    expect(unmetRequirements({ ...input, environment: linux }).map((u) => [u.name, u.via, u.install])).toEqual([
      ['uvloop', 'uvicorn[standard]', 'uvicorn[standard]>=0.24.0'],
    ]);
    expect(unmetRequirements({ ...input, environment: win32 }).map((u) => [u.name, u.via])).toEqual([['colorama', 'uvicorn[standard]']]);
  });

  it('a requirement whose marker is false here is not wanted', () => {
    expect(
      unmetRequirements({ requirements: sources('pywin32>=306; sys_platform == "win32"\n'), installed: {}, environment: linux, imported: ['win32api'] }),
    ).toEqual([]);
    expect(
      unmetRequirements({ requirements: sources('pywin32>=306; sys_platform == "win32"\n'), installed: {}, environment: win32, imported: [] }),
    ).toHaveLength(1);
  });

  it('SQLAlchemy asyncio imported by the code needs greenlet (the [asyncio] extra), blocking', () => {
    const sqlalchemy = dist('2.1.1', ['typing-extensions>=4.6.0', 'greenlet>=1; extra == "asyncio"'], ['sqlalchemy']);
    const unmet = unmetRequirements({
      requirements: sources('sqlalchemy>=2.0.23\n'),
      installed: { sqlalchemy, 'typing-extensions': dist('4.16.0') },
      environment: linux,
      imported: ['sqlalchemy', 'sqlalchemy.ext.asyncio'],
    });
    expect(unmet.map((u) => [u.name, u.via, u.needed, u.install, u.importedAs])).toEqual([
      ['greenlet', 'sqlalchemy[asyncio]', true, 'sqlalchemy[asyncio]>=2.0.23', ['sqlalchemy.ext.asyncio']],
    ]);
  });

  it("a missing dependency of an imported distribution (celery's tzlocal) is reported, not blocking", () => {
    const celery = dist('5.6.3', ['kombu<5.7,>=5.6.0', 'tzlocal', 'click-repl>=0.2.0', 'pytest-celery[all]>=1.2.0; extra == "pytest"'], ['celery']);
    const unmet = unmetRequirements({
      requirements: sources('celery>=5.3.6\n'),
      installed: { celery, kombu: dist('5.6.2', ['vine==5.1.0']), vine: dist('5.0.0') },
      environment: linux,
      imported: ['celery'],
    });
    expect(unmet.map((u) => [u.name, u.via, u.installed, u.needed])).toEqual([
      ['tzlocal', 'celery', null, false],
      ['click-repl', 'celery', null, false],
      ['vine', 'kombu', '5.0.0', false],
    ]);
  });
});
