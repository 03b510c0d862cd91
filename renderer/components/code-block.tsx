import { useState } from 'react';

/**
 * A command the user should run, with a Copy button. The text is also fully
 * selectable, so Ctrl+C works where the clipboard API is refused.
 */
export function CodeBlock({ code, label = 'Command' }: { code: string; label?: string }) {
  const [copied, setCopied] = useState<'idle' | 'done' | 'failed'>('idle');
  const copy = () => {
    navigator.clipboard.writeText(code).then(
      () => setCopied('done'),
      () => setCopied('failed'),
    );
    setTimeout(() => setCopied('idle'), 2000);
  };
  return (
    <div className="code-block">
      <pre aria-label={label}>
        <code>{code}</code>
      </pre>
      <button type="button" className="ghost small" onClick={copy}>
        {copied === 'done' ? 'Copied' : copied === 'failed' ? 'Select and copy' : 'Copy'}
      </button>
    </div>
  );
}
