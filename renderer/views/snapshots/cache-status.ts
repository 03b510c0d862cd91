import type { TemplateInfo } from '../../../shared/contract/copies';
import type { CacheNote } from '../../state/types';

/**
 * One sentence on the template cache: will the next "Rebuild with drop" be warm? The
 * cache key (a hash of env.py and the migration files, alembic.ini, the profile and the server's
 * major version) is only computed by a rebuild with drop, so "current" means "as of
 * the last such rebuild"; without one the sentence says what would decide it.
 */
export interface CacheStatus {
  tone: 'warm' | 'cold' | 'unknown';
  text: string;
  /** The template the next rebuild would clone, when known. */
  template: string | null;
}

export function cacheStatus(templates: TemplateInfo[], last: CacheNote | null): CacheStatus {
  const short = (key: string) => `${key.slice(0, 12)}…`;
  if (templates.length === 0) {
    return {
      tone: 'cold',
      text: 'No template yet: the next “Rebuild with drop” runs cold (bootstrap and every migration) and keeps a template once VERIFY passes.',
      template: null,
    };
  }
  if (last?.key) {
    const match = templates.find((t) => t.key === last.key);
    if (match) {
      return {
        tone: 'warm',
        text: `A template exists for the current migrations (key ${short(last.key)}): the next “Rebuild with drop” will be warm — cloned from ${match.name} instead of running bootstrap and the migrations again.`,
        template: match.name,
      };
    }
    return {
      tone: 'cold',
      text: `No template matches the migrations as of the last rebuild (key ${short(last.key)}): the next “Rebuild with drop” runs cold and refreshes the cache.`,
      template: null,
    };
  }
  return {
    tone: 'unknown',
    text: `${templates.length === 1 ? 'A template is' : `${templates.length} templates are`} stored. The next “Rebuild with drop” will be warm if env.py and the migration files, alembic.ini, the profile and the server version still match one of them.`,
    template: null,
  };
}
