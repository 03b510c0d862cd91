/**
 * Engine sentences mark commands with backticks, as the terminal and the HTML bundle
 * print them ("CI runs `alembic upgrade head`"); here they become <code>.
 */
export function InlineCode({ text }: { text: string }) {
  const parts = text.split(/`([^`]+)`/);
  return <>{parts.map((part, index) => (index % 2 === 1 ? <code key={index}>{part}</code> : part))}</>;
}
