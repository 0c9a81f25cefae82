/**
 * Why a collection run ended without finishing, in a word a program can match (`code`) and a
 * sentence a person can act on (`message`). Everything stored before the failure stays in the
 * catalog; the next run picks up from there.
 */
export type CollectErrorCode =
  /** No WhatsApp Web tab is open. */
  | 'no-tab'
  /** The tab has no ChatVault content script (opened before the extension was installed or updated). */
  | 'no-content-script'
  /** The WhatsApp Web tab was closed or navigated away during the run. */
  | 'tab-closed'
  /** WhatsApp Web is not linked: the QR code must be scanned. */
  | 'needs-qr-scan'
  /** WhatsApp Web did not finish loading in time. */
  | 'not-ready'
  /** Neither WhatsApp Web's modules nor its page could be read. */
  | 'no-modules'
  /** The page reported an error while reading. */
  | 'page-error'
  /** The catalog could not store what arrived. */
  | 'storage'
  /** The content script sent something that breaks the protocol. */
  | 'protocol'
  | 'cancelled'
  | 'invalid-argument';

export class CollectError extends Error {
  override readonly name = 'CollectError';
  constructor(
    readonly code: CollectErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isCollectError(error: unknown, code?: CollectErrorCode): error is CollectError {
  return error instanceof CollectError && (code === undefined || error.code === code);
}

export const COLLECT_MESSAGES: Record<
  Exclude<CollectErrorCode, 'page-error' | 'invalid-argument'>,
  string
> = {
  'no-tab': 'Open WhatsApp Web (web.whatsapp.com) in a tab and sign in, then back up again.',
  'no-content-script':
    'ChatVault cannot reach the WhatsApp Web tab. Reload that tab (ChatVault was installed or updated after it opened), then back up again.',
  'tab-closed':
    'The WhatsApp Web tab was closed or reloaded during the backup. Everything collected so far is kept; open WhatsApp Web and back up again to continue.',
  'needs-qr-scan':
    'WhatsApp Web is not linked to your phone: scan the QR code in the WhatsApp Web tab, then back up again.',
  'not-ready': 'WhatsApp Web did not finish loading. Check that it shows your chats, then back up again.',
  'no-modules': 'ChatVault could not read this version of WhatsApp Web. Please update ChatVault.',
  storage: 'ChatVault could not store the collected chats on this computer (is the disk full?).',
  protocol:
    'The WhatsApp Web tab sent something ChatVault does not understand. Reload the tab and back up again.',
  cancelled: 'The backup was cancelled.',
};
