import { useState } from 'react';
import type { ChatChoice } from '@/utils/archive/backup-choices';

export interface RestoreSelectionValue {
  /** Undefined: every chat. */
  chatIds?: string[];
  /** `YYYY-MM-DD` or '' for no bound. */
  fromDay: string;
  untilDay: string;
}

export interface RestoreSelectionProps {
  chats: ChatChoice[];
  busy: boolean;
  error?: string;
  onRestore: (selection: RestoreSelectionValue) => void;
}

/** All chats or some, and an optional date range; then "Restore". */
export function RestoreSelection({ chats, busy, error, onRestore }: RestoreSelectionProps) {
  const [all, setAll] = useState(true);
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const [fromDay, setFromDay] = useState('');
  const [untilDay, setUntilDay] = useState('');
  const toggle = (id: string) => {
    const next = new Set(picked);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setPicked(next);
  };
  const nothingPicked = !all && picked.size === 0;
  return (
    <section className="card" aria-labelledby="selection-heading" data-testid="restore-selection">
      <h2 id="selection-heading" style={{ fontSize: '1rem', margin: '0 0 0.25rem' }}>
        What to restore
      </h2>
      <label style={{ display: 'block' }}>
        <input
          type="radio"
          name="chat-scope"
          checked={all}
          onChange={() => setAll(true)}
          data-testid="restore-all-chats"
        />{' '}
        all {chats.length} chats
      </label>
      <label style={{ display: 'block', marginBottom: '0.25rem' }}>
        <input
          type="radio"
          name="chat-scope"
          checked={!all}
          onChange={() => setAll(false)}
          data-testid="restore-some-chats"
        />{' '}
        only these chats:
      </label>
      {!all && (
        <ul
          style={{
            listStyle: 'none',
            margin: '0 0 0.5rem',
            padding: '0 0 0 1.5rem',
            maxHeight: 240,
            overflow: 'auto',
          }}
        >
          {chats.map((chat) => (
            <li key={chat.id}>
              <label>
                <input
                  type="checkbox"
                  checked={picked.has(chat.id)}
                  onChange={() => toggle(chat.id)}
                  data-testid="restore-chat"
                  data-chat-id={chat.id}
                />{' '}
                {chat.title} <span className="muted">({chat.messages} messages)</span>
              </label>
            </li>
          ))}
        </ul>
      )}
      <p style={{ margin: '0.5rem 0' }}>
        <label>
          From{' '}
          <input
            type="date"
            value={fromDay}
            onChange={(e) => setFromDay(e.target.value)}
            data-testid="restore-from"
          />
        </label>{' '}
        <label>
          to{' '}
          <input
            type="date"
            value={untilDay}
            onChange={(e) => setUntilDay(e.target.value)}
            data-testid="restore-until"
          />
        </label>{' '}
        <span className="muted">(both optional, days included)</span>
      </p>
      <button
        type="button"
        disabled={busy || nothingPicked}
        onClick={() => onRestore({ chatIds: all ? undefined : [...picked], fromDay, untilDay })}
        data-testid="restore-start"
      >
        Restore into a zip file
      </button>
      {error && (
        <p className="warn" role="alert" data-testid="restore-selection-error">
          {error}
        </p>
      )}
    </section>
  );
}
