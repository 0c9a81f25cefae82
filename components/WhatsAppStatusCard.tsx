import type { WhatsAppPageState } from '@/utils/messages/whatsapp-status';

export interface WhatsAppStatusCardProps {
  /** Undefined when no WhatsApp Web tab is open. */
  status?: { state: WhatsAppPageState; version?: string };
  onOpenWhatsApp: () => void;
}

const EXPLANATIONS: Record<WhatsAppPageState, string> = {
  loading: 'WhatsApp Web is loading…',
  connecting: 'WhatsApp Web is connecting to your phone…',
  'needs-qr-scan': 'Link WhatsApp Web: scan the QR code in the WhatsApp tab with your phone.',
  ready: 'WhatsApp Web is open and signed in.',
  unknown: 'WhatsApp Web is open, in a state ChatVault does not recognise.',
};

/** First step of every backup: is WhatsApp Web open and linked? Says what to do when not. */
export function WhatsAppStatusCard({ status, onOpenWhatsApp }: WhatsAppStatusCardProps) {
  return (
    <section className="card" aria-labelledby="whatsapp-heading" data-testid="whatsapp-status">
      <h2 id="whatsapp-heading" style={{ fontSize: '1rem', margin: '0 0 0.25rem' }}>
        WhatsApp Web
      </h2>
      {status ? (
        <p data-state={status.state} style={{ margin: 0 }}>
          {EXPLANATIONS[status.state]}
          {status.version ? <span className="muted"> (version {status.version})</span> : null}
        </p>
      ) : (
        <>
          <p data-state="closed" style={{ margin: '0 0 0.5rem' }}>
            WhatsApp Web is not open. ChatVault reads your chats from it.
          </p>
          <button type="button" onClick={onOpenWhatsApp}>
            Open WhatsApp Web
          </button>
        </>
      )}
    </section>
  );
}
