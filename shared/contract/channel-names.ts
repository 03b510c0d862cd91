/**
 * The channel names alone, without their schemas: all the preload needs, so its bundle
 * stays free of zod. `CHANNELS` in api.ts pairs each name with its request schema.
 */
export const CHANNEL_NAMES = {
  getSettings: 'app:get-settings',
  saveSettings: 'app:save-settings',
  testConnection: 'app:test-connection',
  checkPrerequisites: 'app:check-prerequisites',
  loadGraph: 'app:load-graph',
  previewSql: 'app:preview-sql',
  startJob: 'app:job-start',
  cancelJob: 'app:job-cancel',
  getRecentRuns: 'app:get-recent-runs',
  getParity: 'app:get-parity',
  listCopies: 'app:list-copies',
  clearCache: 'app:clear-cache',
  restoreSnapshot: 'app:restore-snapshot',
  cancelRestore: 'app:restore-cancel',
  pruneSnapshots: 'app:prune-snapshots',
  saveDiagnosis: 'app:save-diagnosis',
  openDiagnosis: 'app:open-diagnosis',
  checkRepoFolder: 'app:check-repo-folder',
  chooseFolder: 'app:choose-folder',
} as const;

export type ChannelKey = keyof typeof CHANNEL_NAMES;

export const JOB_EVENT_CHANNEL = 'app:job-event';
