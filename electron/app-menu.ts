import type { MenuItemConstructorOptions } from 'electron';
import { APP_VIEWS, type AppViewId } from '../shared/contract/app-views';

/**
 * The application menu, instead of Electron's default one (whose Ctrl+R reloads the
 * page mid-rebuild and whose Help opens electronjs.org). Pure: main.ts hands it the
 * actions and Menu.buildFromTemplate turns it into the menu, so a test can read it.
 */
export interface MenuActions {
  saveDiagnosis(): void;
  openDiagnosis(): void;
  showView(view: AppViewId): void;
  openLogsFolder(): void;
  openDataFolder(): void;
  reportProblem(): void;
  about(): void;
  quit(): void;
}

export { APP_VIEWS, type AppViewId };

export function menuTemplate(actions: MenuActions, options: { packaged: boolean; platform: NodeJS.Platform }): MenuItemConstructorOptions[] {
  const views: MenuItemConstructorOptions[] = APP_VIEWS.map((view, index) => ({
    label: view.label,
    accelerator: `CmdOrCtrl+${index + 1}`,
    click: () => actions.showView(view.id),
  }));
  // Reload and DevTools only in development: a reload mid-rebuild would lose the run's view.
  const development: MenuItemConstructorOptions[] = options.packaged ? [] : [{ type: 'separator' }, { role: 'reload' }, { role: 'toggleDevTools' }];
  return [
    {
      label: '&File',
      submenu: [
        { label: 'Save diagnosis\u2026', accelerator: 'CmdOrCtrl+S', click: () => actions.saveDiagnosis() },
        { label: 'Open diagnosis\u2026', accelerator: 'CmdOrCtrl+O', click: () => actions.openDiagnosis() },
        { type: 'separator' },
        options.platform === 'darwin' ? { role: 'close' } : { label: 'E&xit', accelerator: 'Alt+F4', click: () => actions.quit() },
      ],
    },
    {
      label: '&Edit',
      submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }],
    },
    {
      label: '&View',
      submenu: [
        ...views,
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...development,
      ],
    },
    {
      label: '&Help',
      submenu: [
        { label: 'Open logs folder', click: () => actions.openLogsFolder() },
        { label: 'Open data folder', click: () => actions.openDataFolder() },
        { label: 'Report a problem\u2026', click: () => actions.reportProblem() },
        { type: 'separator' },
        { label: 'About Skeldir Rebuild', click: () => actions.about() },
      ],
    },
  ];
}
