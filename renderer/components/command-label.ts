/** A report's command ("upgrade-to", "fix FM2") in the words the app uses elsewhere. */
const WORDS: Record<string, string> = {
  diagnose: 'diagnosis',
  rebuild: 'rebuild',
  'upgrade-to': 'upgrade',
  validate: 'validation run',
  bootstrap: 'bootstrap',
};

export function commandLabel(command: string): string {
  return WORDS[command] ?? command;
}
