/** The only scope ChatVault asks for: the files it creates itself, visible in the user's Drive. */
export const DRIVE_FILE_SCOPE = 'https://www.googleapis.com/auth/drive.file';

export const GOOGLE_AUTHORIZE_URL = 'https://accounts.google.com/o/oauth2/v2/auth';
export const GOOGLE_REVOKE_URL = 'https://oauth2.googleapis.com/revoke';

/**
 * Which OAuth clients this build has. Both come from build-time variables (README "Google Drive
 * and sign-in"), read by the entrypoints and passed in here:
 * - `chromeClientId` (WXT_GOOGLE_CLIENT_ID): a "Chrome extension" client, for
 *   identity.getAuthToken, which only Google Chrome has.
 * - `webClientId` (WXT_GOOGLE_WEB_CLIENT_ID): a "Web application" client whose redirect URI is the
 *   extension's identity.getRedirectURL(), for identity.launchWebAuthFlow (Edge, Brave, Opera,
 *   Chromium, Firefox, and Chrome too).
 */
export interface GoogleAuthConfig {
  chromeClientId?: string;
  webClientId?: string;
}

/** Build-time variables as WXT exposes them (`import.meta.env`). */
export interface AuthEnvironment {
  WXT_GOOGLE_CLIENT_ID?: unknown;
  WXT_GOOGLE_WEB_CLIENT_ID?: unknown;
}

/** The configuration from build-time variables; blank or malformed values count as missing. */
export function authConfigFromEnvironment(env: AuthEnvironment): GoogleAuthConfig {
  return {
    chromeClientId: clientIdOrUndefined(env.WXT_GOOGLE_CLIENT_ID),
    webClientId: clientIdOrUndefined(env.WXT_GOOGLE_WEB_CLIENT_ID),
  };
}

export function isConfigured(config: GoogleAuthConfig): boolean {
  return config.chromeClientId !== undefined || config.webClientId !== undefined;
}

/** Exactly what to configure, with this extension's redirect URI filled in when it is known. */
export function notConfiguredMessage(redirectUri?: string): string {
  const redirect = redirectUri ?? 'https://<extension id>.chromiumapp.org/';
  return (
    'Google Drive sign-in is not set up in this build of ChatVault. Create an OAuth client in ' +
    'Google Cloud console of type "Web application" with the authorised redirect URI ' +
    `${redirect} and build with WXT_GOOGLE_WEB_CLIENT_ID=<its client id>; for Google Chrome you may ` +
    'also create a "Chrome extension" client for this extension id and set WXT_GOOGLE_CLIENT_ID. ' +
    'Then run `npm run build` again. README, "Google Drive and sign-in", has the steps.'
  );
}

// Google client ids look like "1234-abc.apps.googleusercontent.com"; anything with spaces or
// quotes is a configuration mistake (e.g. a pasted placeholder) and must not reach a URL.
function clientIdOrUndefined(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return /^[A-Za-z0-9._-]+$/.test(trimmed) ? trimmed : undefined;
}
