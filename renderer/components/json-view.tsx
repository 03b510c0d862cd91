import { useMemo } from 'react';

/** Evidence as pretty JSON, opened on demand; huge values are cut so the view stays fast. */
const MAX_CHARS = 200_000;

export function JsonView({ value, summary = 'Evidence' }: { value: unknown; summary?: string }) {
  return (
    <details className="json-view">
      <summary>{summary}</summary>
      <JsonBody value={value} />
    </details>
  );
}

function JsonBody({ value }: { value: unknown }) {
  const text = useMemo(() => {
    let json: string;
    try {
      json = JSON.stringify(value, null, 2) ?? String(value);
    } catch {
      json = String(value);
    }
    return json.length > MAX_CHARS ? `${json.slice(0, MAX_CHARS)}\n… (${json.length - MAX_CHARS} more characters)` : json;
  }, [value]);
  return <pre className="json-body">{text}</pre>;
}
