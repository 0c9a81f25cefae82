export interface CatalogSummaryProps {
  counts?: { chats: number; messages: number; media: number };
}

/** What this browser has collected so far and could restore without Drive. */
export function CatalogSummary({ counts }: CatalogSummaryProps) {
  return (
    <section className="card" aria-labelledby="catalog-heading" data-testid="catalog-summary">
      <h2 id="catalog-heading" style={{ fontSize: '1rem', margin: '0 0 0.25rem' }}>
        Collected on this device
      </h2>
      {counts ? (
        <p style={{ margin: 0 }}>
          {counts.chats} chats, {counts.messages} messages, {counts.media} media files.
        </p>
      ) : (
        <p className="muted" style={{ margin: 0 }}>
          Counting…
        </p>
      )}
    </section>
  );
}
