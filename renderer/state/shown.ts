import { GATE_IDS, type GateId } from '../../shared/report/gates';
import type { AppState } from './types';

/**
 * What the views show: the live state, or the diagnosis bundle being viewed. Every
 * view reads through these selectors, so opening a bundle switches all of them at
 * once and Close switches them back, while the live state keeps updating underneath.
 * Each returns a value already in the store (no new objects), as zustand selectors must.
 */
export const isViewing = (s: AppState): boolean => s.viewing !== null;

/** Whether buttons that change a database (or start a job) must be disabled. */
export const actionsLocked = (s: AppState): boolean => s.job !== null || s.viewing !== null;

export const shownGate = (id: GateId) => (s: AppState) => (s.viewing ? s.viewing.gates[id] : s.gates[id]);
/** Whether any gate after `id` is part of the run on screen (E1's problems then describe the database before the run changed it). */
export const laterGatesInRun = (id: GateId) => (s: AppState) => GATE_IDS.slice(GATE_IDS.indexOf(id) + 1).some((later) => shownGate(later)(s).inRun);
export const shownLog = (id: GateId) => (s: AppState) => (s.viewing ? s.viewing.logs[id] : s.logs[id]);
export const shownDropped = (id: GateId) => (s: AppState) => (s.viewing ? 0 : s.droppedLines[id]);
export const shownReport = (s: AppState) => (s.viewing ? s.viewing.report : s.lastReport);
/** The newest run known to have changed the database: live, the state's; in an opened file, its report (all it has). */
export const shownLastChange = (s: AppState): { command: string; startedAt: string } | null => (s.viewing ? s.viewing.report : s.lastChange);
export const shownFindings = (s: AppState) => (s.viewing ? s.viewing.findings : s.findings);
/** Findings of the run on screen: the live job's as they arrive, or the bundle's last run. */
export const shownRunFindings = (s: AppState) => (s.viewing ? s.viewing.report.findings : s.liveFindings);
export const shownValidation = (s: AppState) => (s.viewing ? s.viewing.lastValidation : s.lastValidation);
export const shownValidationRun = (s: AppState) => (s.viewing ? s.viewing.lastValidationRun : s.lastValidationRun);
/** The repository the shown results should belong to: Setup's, or the bundle's own when viewing one. */
export const shownRepoDir = (s: AppState): string | null => (s.viewing ? (s.viewing.report.provenance?.repoDir ?? null) : (s.settings?.repoDir ?? null));
export const shownGraph = (s: AppState) => (s.viewing ? s.viewing.graph : s.graph);
export const shownParity = (s: AppState) => (s.viewing ? s.viewing.parity : s.parity);
