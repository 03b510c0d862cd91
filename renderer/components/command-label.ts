/** A report's command ("upgrade-to", "fix FM2") in the words the app uses elsewhere. */
const WORDS: Record<string, string> = {
  diagnose: 'diagnosis',
  rebuild: 'rebuild',
  'upgrade-to': 'upgrade',
  validate: 'validation run',
  bootstrap: 'bootstrap',
  // The read-only diagnosis a diagnosis file is made with (the CLI's report command).
  report: 'diagnosis for the saved file',
};

export function commandLabel(command: string): string {
  return WORDS[command] ?? command;
}
