import { useRef, useState } from 'react';

/** What "Open diagnosis…" and Compare accept: the JSON bundle or the HTML page (it embeds the JSON). */
export const BUNDLE_ACCEPT = '.json,.html,application/json,text/html';

/**
 * A button that opens the system's file picker and hands over the chosen file's text.
 * The <input type="file"> itself stays hidden (it cannot be styled), and the button is
 * what keyboard users reach. Works the same in Chromium and in Electron's sandbox.
 */
export function FilePickButton({
  label,
  accept,
  onFile,
  disabled,
  className,
  testId,
  id,
}: {
  label: string;
  accept: string;
  onFile: (name: string, text: string) => void;
  disabled?: boolean;
  className?: string;
  testId?: string;
  /** The visible button's id, for a view that gives focus back to it (the viewing banner's Close). */
  id?: string;
}) {
  const input = useRef<HTMLInputElement>(null);
  const [reading, setReading] = useState(false);
  return (
    <>
      <button type="button" id={id} className={className} onClick={() => input.current?.click()} disabled={disabled || reading}>
        {reading ? 'Reading…' : label}
      </button>
      <input
        ref={input}
        type="file"
        accept={accept}
        hidden
        data-testid={testId}
        onChange={(event) => {
          const file = event.target.files?.[0];
          // Cleared so choosing the same file again still fires a change.
          event.target.value = '';
          if (!file) return;
          setReading(true);
          file
            .text()
            .then((text) => onFile(file.name, text))
            // An unreadable file arrives empty, and the bundle reader says it is not a bundle.
            .catch(() => onFile(file.name, ''))
            .finally(() => setReading(false));
        }}
      />
    </>
  );
}
