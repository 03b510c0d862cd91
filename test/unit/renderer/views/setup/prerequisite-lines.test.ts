import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { PrerequisiteLines } from '../../../../../renderer/views/setup/prerequisite-lines';
import type { PrerequisiteCheck } from '../../../../../shared/prerequisites/prerequisites';

/** The Setup view's doctor lines for the checks E1 adds: the driver, requirements the suites import, tooling. */
const checks: PrerequisiteCheck[] = [
  {
    id: 'database-driver',
    title: 'Database driver for Alembic',
    ok: false,
    detail: 'SQLAlchemy 2.1.1 loads psycopg (psycopg 3) for a postgresql:// URL, and psycopg is not installed',
    fix: '"/venv/bin/python" -m pip install "psycopg[binary]"',
  },
  { id: 'requirement-celery', title: 'celery>=5.3.6 from backend/requirements.txt', ok: false, neededBy: 'tests', detail: 'not installed', fix: '"/venv/bin/python" -m pip install "celery>=5.3.6"' },
  { id: 'requirement-schemathesis', title: 'schemathesis>=3.19.0 from backend/requirements-dev.txt', ok: false, level: 'warning', detail: 'not installed', fix: '"/venv/bin/python" -m pip install "schemathesis>=3.19.0"' },
  { id: 'requirements', title: 'Backend requirements satisfied', ok: true, detail: '15 requirements' },
];

describe('PrerequisiteLines', () => {
  const html = renderToStaticMarkup(createElement(PrerequisiteLines, { checks }));
  const line = (id: string) => new RegExp(`<li[^>]*data-testid="check-${id}"[^>]*>([\\s\\S]*?)</li>`).exec(html);

  it('shows a ✗ with its pip command for the driver and for a requirement the suites import', () => {
    expect(line('database-driver')?.[0]).toMatch(/data-level="error"/);
    expect(line('database-driver')?.[1]).toContain('&quot;psycopg[binary]&quot;');
    expect(line('requirement-celery')?.[1]).toContain('blocks the validation tests');
    expect(line('requirement-celery')?.[1]).toContain('pip install &quot;celery&gt;=5.3.6&quot;');
  });

  it('shows tooling nobody imports as a warning, with its command, and a satisfied line as ✓ without one', () => {
    expect(line('requirement-schemathesis')?.[0]).toMatch(/class="warn"[^>]*data-level="warning"/);
    expect(line('requirement-schemathesis')?.[1]).toContain('⚠');
    expect(line('requirement-schemathesis')?.[1]).toContain('schemathesis&gt;=3.19.0');
    expect(line('requirements')?.[0]).toMatch(/data-ok="true"/);
    expect(line('requirements')?.[1]).not.toContain('<pre');
  });
});
