import type { CopiesView, TemplateInfo } from '../../../shared/contract/copies';
import type { CacheNote } from '../../state/types';

/**
 * One sentence on the template cache: will the next "Rebuild with drop" be warm? The engine
 * answers it when it lists the copies (the cache key of the repository's files, the profile
 * and the server, and the template it matches); without a usable repository, "current" means
 * "as of the last rebuild with drop", and without one the sentence says what would decide it.
 */
export interface CacheStatus {
  tone: 'warm' | 'cold' | 'unknown';
  text: string;
  /** The template the next rebuild would clone, when known. */
  template: string | null;
}

export function cacheStatus(templates: TemplateInfo[], last: CacheNote | null, next?: CopiesView['nextRebuild']): CacheStatus {
  const short = (key: string) => `${key.slice(0, 12)}…`;
  if (templates.length === 0) {
    return {
      tone: 'cold',
      text: 'No template yet: the next “Rebuild with drop” runs cold (bootstrap and every migration) and keeps a template once VERIFY passes.',
      template: null,
    };
  }
  if (next) {
    return next.template
      ? {
          tone: 'warm',
          text: `A template exists for the current migrations (key ${short(next.key)}): the next “Rebuild with drop” will be warm — cloned from ${next.template} instead of running bootstrap and the migrations again.`,
          template: next.template,
        }
      : {
          tone: 'cold',
          text: `No template fits the migrations, profile, server and roles as they are now (key ${short(next.key)}): the next “Rebuild with drop” runs cold and refreshes the cache.`,
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
