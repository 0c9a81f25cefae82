import { defineConfig } from 'wxt';

// Build configuration. Everything that differs between a developer's machine, CI and a
// store build comes from the environment (see README "Configuration"), never from code
// that knows it is being tested.
export default defineConfig({
  modules: ['@wxt-dev/module-react', '@wxt-dev/webextension-polyfill'],
  // Explicit imports everywhere: utils/ also runs in Node (CLI, unit tests), where WXT's
  // auto-imports do not exist.
  imports: false,
  manifest: ({ browser }) => ({
    name: 'ChatVault',
    description:
      'End-to-end encrypted, incremental backups of your WhatsApp Web chats, kept in your own Google Drive.',
    permissions: ['storage', 'unlimitedStorage', 'identity', 'alarms', 'notifications', 'downloads'],
    host_permissions: [
      'https://web.whatsapp.com/*',
      'https://www.googleapis.com/*',
      'https://oauth2.googleapis.com/*',
    ],
    // hash-wasm compiles WebAssembly at run time (Argon2id, BLAKE3). Chromium's default MV3
    // policy forbids that and WXT only relaxes it in dev mode, so production builds need it.
    content_security_policy: {
      extension_pages: "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'",
    },
    action: { default_title: 'ChatVault' },
    // Google sign-in (README "Google Drive and sign-in"). identity.getAuthToken reads its "Chrome
    // extension" client from `oauth2`, and that client is bound to one extension id, which `key`
    // fixes for unpacked builds. Both only when configured, and never for Firefox (no such API).
    ...(browser !== 'firefox' && process.env.WXT_GOOGLE_CLIENT_ID
      ? {
          oauth2: {
            client_id: process.env.WXT_GOOGLE_CLIENT_ID,
            scopes: ['https://www.googleapis.com/auth/drive.file'],
          },
        }
      : {}),
    ...(browser !== 'firefox' && process.env.WXT_EXTENSION_KEY ? { key: process.env.WXT_EXTENSION_KEY } : {}),
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: { id: 'chatvault@chatvault.app', strict_min_version: '128.0' },
          },
        }
      : {}),
  }),
});
