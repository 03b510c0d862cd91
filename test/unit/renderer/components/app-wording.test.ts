import { describe, expect, it } from 'vitest';
import { isProse } from '../../../../renderer/components/app-wording';

/** Commands keep their code box and Copy; sentences do not. */
describe('isProse', () => {
  it('tells a sentence from a command', () => {
    expect(isProse('Check the permissions of /x/alembic.ini.')).toBe(true);
    expect(isProse('"/venv/bin/python" -m pip install alembic psycopg2-binary')).toBe(false);
    expect(isProse('py -3 -m pip install pytest')).toBe(false);
  });
});
