/**
 * What a message asks the user to do, named without any front's words. The engine writes
 * its messages in neutral prose and attaches the action; each front adds its own how-to:
 * the CLI its flag (electron/cli/cli-how-to.ts), the app its control
 * (renderer/components/app-how-to.ts). So no CLI flag reaches the app, and no app button
 * reaches the terminal.
 */
export type UserAction = 'choose-repository' | 'choose-python' | 'use-bundled-server' | 'allow-remote-tests';
