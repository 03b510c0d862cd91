import { normalizeName } from './pep508-marker';

/**
 * Which top-level modules a distribution provides, for a distribution that is not installed
 * (an installed one says so itself: top_level.txt or RECORD). Most are their name with
 * "-" as "_"; the well-known exceptions are listed, as pip users meet them.
 */
const KNOWN_MODULES: Record<string, string[]> = {
  'python-dotenv': ['dotenv'],
  'python-dateutil': ['dateutil'],
  'python-multipart': ['multipart', 'python_multipart'],
  'python-jose': ['jose'],
  'psycopg2-binary': ['psycopg2'],
  'psycopg-binary': ['psycopg_binary'],
  'psycopg-c': ['psycopg_c'],
  pyyaml: ['yaml'],
  beautifulsoup4: ['bs4'],
  pillow: ['PIL'],
  'scikit-learn': ['sklearn'],
  'opencv-python': ['cv2'],
  pyjwt: ['jwt'],
  attrs: ['attr', 'attrs'],
  setuptools: ['setuptools', 'pkg_resources'],
  protobuf: ['google'],
  'typing-extensions': ['typing_extensions'],
  'datamodel-code-generator': ['datamodel_code_generator'],
  'prometheus-client': ['prometheus_client'],
  'email-validator': ['email_validator'],
  'msgpack-python': ['msgpack'],
};

export function guessModules(distribution: string): string[] {
  const key = normalizeName(distribution);
  const known = KNOWN_MODULES[key];
  if (known) return known;
  const underscored = key.replace(/-/g, '_');
  const withoutPrefix = underscored.replace(/^python_/, '').replace(/^py(?=[a-z]{3,})/, '');
  return [...new Set([underscored, withoutPrefix.replace(/_binary$/, '')])];
}

/**
 * Imports that need an extra of their distribution: SQLAlchemy's asyncio extension needs
 * greenlet, which SQLAlchemy 2.1 installs only with `sqlalchemy[asyncio]`.
 */
export const EXTRA_NEEDED_BY_IMPORT: ReadonlyArray<{ module: string; distribution: string; extra: string }> = [
  { module: 'sqlalchemy.ext.asyncio', distribution: 'sqlalchemy', extra: 'asyncio' },
];
