import { useLiveQuery } from 'dexie-react-hooks';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@/components/theme.css';
import { CatalogSummary } from '@/components/CatalogSummary';
import { createCatalog } from '@/utils/catalog/catalog';

const catalog = createCatalog();

function Restore() {
  const counts = useLiveQuery(async () => ({
    chats: await catalog.chats.count(),
    messages: await catalog.messages.count(),
    media: await catalog.media.count(),
  }));
  return (
    <main style={{ maxWidth: 720, margin: '0 auto', padding: '1.5rem' }}>
      <h1>Restore a backup</h1>
      <CatalogSummary counts={counts} />
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Restore />
  </StrictMode>,
);
