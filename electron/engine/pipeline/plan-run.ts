import type { GateId } from '../../../shared/report/gates';

/** The cache as looked up for this run: its key, and the template and prepared copy found for it. */
export interface CacheLookup {
  key: string;
  template: string | null;
  spare: string | null;
}

/** What a run knows before it changes anything: the request, E1's answer and the cache lookup. */
export interface PlanInput {
  gates: readonly GateId[];
  dropExisting: boolean;
  /** Only a rebuild from a dropped database to the profile's own target makes or uses a template. */
  fullColdRebuild: boolean;
  /** Why the run stops before E2 (E1 could not reach the server), or null. A cancel is not passed here: the loop over the gates handles it. */
  stoppedBy: string | null;
  cache: CacheLookup | null;
  /** Why R4 could not rebuild the schema after a drop, or null when it can. */
  migrationsCannotFollow: string | null;
  skipValidation: boolean;
}

/**
 * What the run will do, decided once: whether E2/E3 run (and from which template) or why
 * not, whether R4 may stand on a restored template, whether VERIFY's pass stores one,
 * whether R5 is skipped, and whether housekeeping follows the report.
 */
export interface RunPlan {
  /** Null when neither E2 nor E3 was requested. */
  bootstrap: { run: true; drop: boolean; fromTemplate: { name: string; key: string; spare: string | null } | null } | { run: false; reason: string } | null;
  cacheHit: boolean;
  /** A passed VERIFY keeps the database as the cache's template (a full cold rebuild with the cache on). */
  storeTemplate: boolean;
  skipValidation: boolean;
  /** The cache was consulted, so its templates are trimmed and the next spare copy prepared after the report. */
  housekeeping: boolean;
}

export function planRun(input: PlanInput): RunPlan {
  const wants = (gate: GateId) => input.gates.includes(gate);
  const cacheHit = Boolean(input.cache?.template);
  const template = input.cache?.template ? { name: input.cache.template, key: input.cache.key, spare: input.cache.spare } : null;
  // A drop the migrations cannot follow would leave an empty database behind: it does not start (R4 still says why).
  const unmigratable = input.dropExisting && wants('R4') && !cacheHit ? input.migrationsCannotFollow : null;
  const notStarted = input.stoppedBy ?? (unmigratable ? `nothing dropped: R4 could not run afterwards (${unmigratable})` : null);
  const bootstrap: RunPlan['bootstrap'] =
    !wants('E2') && !wants('E3') ? null : notStarted ? { run: false, reason: notStarted } : { run: true, drop: input.dropExisting, fromTemplate: template };
  return {
    bootstrap,
    cacheHit,
    storeTemplate: Boolean(input.cache) && !cacheHit && input.fullColdRebuild,
    skipValidation: wants('R5') && input.skipValidation && !input.stoppedBy,
    housekeeping: Boolean(input.cache),
  };
}
