/**
 * The comparison is pure and lives in shared/ so the app's Compare view runs the very
 * same code as `skeldir-rebuild compare`; this re-export keeps the engine-side import path its tests use.
 */
export { AREA_TITLES, compareBundles, differencesTable, type BundleDifference, type CompareArea } from '../../../shared/bundle/compare-bundles';
