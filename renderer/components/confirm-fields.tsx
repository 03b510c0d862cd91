import { useState } from 'react';
import { useApp } from '../state/store-context';
import { looksLocal } from './looks-local';

/** The server a destructive action would reach: its host and port as the user knows them, and whether it is another computer. */
export interface ServerTarget {
  host: string;
  port: number | null;
  remote: boolean;
}

/** The running server's address when there is one, else the settings'; only a configured server can be remote, the bundled one never is. */
export function useServerTarget(): ServerTarget {
  const connection = useApp((s) => s.settings?.connection ?? null);
  const server = useApp((s) => s.serverStatus?.info ?? null);
  const host = server?.host ?? (connection?.mode === 'embedded' ? '127.0.0.1' : (connection?.host ?? ''));
  const port = server?.port ?? connection?.port ?? null;
  const remote = connection?.mode === 'server' && host !== '' && !looksLocal(host);
  return { host, port, remote };
}

/** What the user typed to confirm, and whether it names the database (and, on a remote server, the host) exactly. */
export interface TypedConfirmation {
  typedName: string;
  setTypedName: (value: string) => void;
  typedHost: string;
  setTypedHost: (value: string) => void;
  confirmed: boolean;
}

export function useTypedConfirmation(databaseName: string, target: ServerTarget): TypedConfirmation {
  const [typedName, setTypedName] = useState('');
  const [typedHost, setTypedHost] = useState('');
  const confirmed = databaseName !== '' && typedName === databaseName && (!target.remote || typedHost === target.host);
  return { typedName, setTypedName, typedHost, setTypedHost, confirmed };
}

/**
 * The "type the database name" field, and on a server that is not this computer the "type the host"
 * field, that Rebuild's drop and a snapshot's Restore both ask for (GitHub's "type the repository
 * name" pattern); the engine checks the same names again before it touches anything.
 */
export function ConfirmFields({
  databaseName,
  target,
  confirmation,
  ids,
  hostConsequence,
  indented,
}: {
  databaseName: string;
  target: ServerTarget;
  confirmation: TypedConfirmation;
  /** The inputs' ids, which their labels point at. */
  ids: { name: string; host: string };
  /** What typing the host allows, ending the host field's label: "drop a database on it". */
  hostConsequence: string;
  /** Whether the name field sits indented under the checkbox that asked for it. */
  indented: boolean;
}) {
  const { typedName, setTypedName, typedHost, setTypedHost, confirmed } = confirmation;
  return (
    <>
      <div className={indented ? 'field confirm-field' : 'field'}>
        <label htmlFor={ids.name}>
          Type <code>{databaseName}</code> to confirm
        </label>
        <TypedInput id={ids.name} value={typedName} onChange={setTypedName} invalid={typedName !== '' && !confirmed} autoFocus />
        {typedName !== '' && typedName !== databaseName ? <span className="field-error">The name does not match.</span> : null}
      </div>
      {target.remote ? (
        <div className="field confirm-field">
          <label htmlFor={ids.host}>
            <strong>{target.host}</strong> is not this computer. Type the host name <code>{target.host}</code> to {hostConsequence}
          </label>
          <TypedInput id={ids.host} value={typedHost} onChange={setTypedHost} invalid={typedHost !== '' && typedHost !== target.host} autoFocus={false} />
        </div>
      ) : null}
    </>
  );
}

/** A name typed to be compared exactly: no autocomplete, no spelling marks. */
function TypedInput({
  id,
  value,
  onChange,
  invalid,
  autoFocus,
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  invalid: boolean;
  autoFocus: boolean;
}) {
  return (
    <input
      id={id}
      type="text"
      autoComplete="off"
      spellCheck={false}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      autoFocus={autoFocus}
      aria-invalid={invalid}
    />
  );
}
