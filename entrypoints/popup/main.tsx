import { useLiveQuery } from 'dexie-react-hooks';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { browser } from 'wxt/browser';
import '@/components/theme.css';
import { WhatsAppStatusCard } from '@/components/WhatsAppStatusCard';
import { createCatalog } from '@/utils/catalog/catalog';
import { latestWhatsAppTab } from '@/utils/catalog/whatsapp-tabs';
import { WHATSAPP_WEB_ORIGIN } from '@/utils/collect/whatsapp-names';

const catalog = createCatalog();

function Popup() {
  // Live: the popup updates while it is open as the background records what the page reports.
  const tab = useLiveQuery(() => latestWhatsAppTab(catalog), []);
  return (
    <main style={{ width: 340, padding: '0.75rem' }}>
      <h1>ChatVault</h1>
      <WhatsAppStatusCard
        status={tab}
        onOpenWhatsApp={() => void browser.tabs.create({ url: `${WHATSAPP_WEB_ORIGIN}/` })}
      />
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Popup />
  </StrictMode>,
);
