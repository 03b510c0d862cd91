import { describe, expect, it } from 'vitest';
import { appWording, isProse } from '../../../../renderer/components/app-wording';

/** The app names Setup where the engine's shared messages name a CLI flag; commands keep their code box, sentences do not. */
describe('appWording', () => {
  it('drops or rewrites the CLI flag clauses the engine writes', () => {
    expect(appWording('No backend repository given: pass --repo DIR (the folder with alembic.ini).')).toBe(
      'No backend repository given: set it in Setup (the folder with alembic.ini).',
    );
    expect(appWording('Choose the Skeldir repository folder (the one that holds alembic.ini) in the settings, or pass --repo with it.')).toBe(
      'Choose the Skeldir repository folder (the one that holds alembic.ini) in the settings.',
    );
    expect(appWording('Check the repository path in the settings (or --repo).')).toBe('Check the repository path in the settings.');
    expect(appWording('Choose the folder that holds alembic.ini (--repo DIR, or Setup in the app).')).toBe('Choose the folder that holds alembic.ini.');
    expect(appWording('/usr/bin/python3 (from --python)')).toBe('/usr/bin/python3 (from Setup)');
  });

  it('leaves text without flags alone, including commands with pip options', () => {
    expect(appWording('The database skeldir_validation exists.')).toBe('The database skeldir_validation exists.');
  });

  it('tells a sentence from a command', () => {
    expect(isProse('Check the permissions of /x/alembic.ini.')).toBe(true);
    expect(isProse('"/venv/bin/python" -m pip install alembic psycopg2-binary')).toBe(false);
    expect(isProse('py -3 -m pip install pytest')).toBe(false);
  });
});
