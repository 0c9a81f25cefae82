import { createWhatsAppWeb, type WhatsAppWebOptions } from '../../fixtures/whatsapp-web/server';
import { type HostRouter, startHostRouter } from '../../support/host-router';
import { DEFAULT_HOSTS } from '../../support/tls';
import { type GoogleStandIns, startGoogleStandIns } from './google';
import { type ExtensionSession, launchWithExtension } from './launch';

/**
 * The whole outside world of an e2e test: the local stand-ins behind one HTTPS host router, and
 * Chromium with the built extension pointed at them.
 */
export interface World {
  router: HostRouter;
  whatsApp: ReturnType<typeof createWhatsAppWeb>;
  session: ExtensionSession;
  /** Google's OAuth endpoints and Drive, when the test asked for them (`google: true`). */
  google?: GoogleStandIns;
  close(): Promise<void>;
}

export async function startWorld(
  options: {
    whatsApp?: WhatsAppWebOptions;
    userDataDir?: string;
    extensionDir?: string;
    google?: boolean;
  } = {},
): Promise<World> {
  const router = await startHostRouter();
  const google = options.google ? startGoogleStandIns(router) : undefined;
  const whatsApp = createWhatsAppWeb(options.whatsApp);
  router.route('web.whatsapp.com', whatsApp.handle);
  router.route('mmg.whatsapp.net', whatsApp.handleMedia);
  const session = await launchWithExtension({
    routerPort: router.port,
    hosts: DEFAULT_HOSTS.filter((h) => h !== 'localhost'),
    userDataDir: options.userDataDir,
    extensionDir: options.extensionDir,
  });
  google?.registerExtension(session.extensionId);
  return {
    router,
    whatsApp,
    session,
    google,
    async close() {
      await session.close();
      await router.close();
      google?.dispose();
    },
  };
}
