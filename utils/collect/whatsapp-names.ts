/**
 * Every name ChatVault depends on inside WhatsApp Web, in one place, so an update of the web
 * client is a one-file change. Sources for each are in /shared/guides/whatsapp-web.md
 * (whatsapp-web.js src/Client.js, wa-js src/loader and src/whatsapp).
 */

/** Global set once the main bundle ran; `.VERSION` is the client version. */
export const DEBUG_GLOBAL = 'Debug';

/** The module-system global (client 2.3000+ defines modules with `__d` and exposes `require`). */
export const REQUIRE_GLOBAL = 'require';

/** Module holding the connection state (`Socket.state`, `Socket.hasSynced`). */
export const SOCKET_MODULES = ['WAWebSocketModel'] as const;

/** Socket states while connecting: wait them out. */
export const CONNECTING_SOCKET_STATES = [
  'OPENING',
  'UNLAUNCHED',
  'PAIRING',
  'CONNECTED',
  'RESUMING',
  'SYNCING',
];

/** Socket states meaning the device is not linked: the user must scan the QR code. */
export const UNPAIRED_SOCKET_STATES = ['UNPAIRED', 'UNPAIRED_IDLE'];

/** Where WhatsApp Web lives; content scripts match it and only it may report page data. */
export const WHATSAPP_WEB_ORIGIN = 'https://web.whatsapp.com';
