/**
 * The app's views, in the navigation's order: the renderer's navigation and the Electron
 * menu (View → CmdOrCtrl+1…8) are both built from this one list, so they cannot drift apart.
 */
export const APP_VIEWS = [
  { id: 'setup', label: 'Setup' },
  { id: 'gates', label: 'Gates' },
  { id: 'graph', label: 'Migration graph' },
  { id: 'findings', label: 'Findings' },
  { id: 'parity', label: 'Parity' },
  { id: 'results', label: 'Test results' },
  { id: 'snapshots', label: 'Snapshots' },
  { id: 'compare', label: 'Compare' },
] as const;

export type AppViewId = (typeof APP_VIEWS)[number]['id'];
