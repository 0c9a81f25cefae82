/** The Google OAuth scopes the stand-ins understand, spelled as Google spells them. */
export const SCOPES = {
  drive: 'https://www.googleapis.com/auth/drive',
  driveFile: 'https://www.googleapis.com/auth/drive.file',
  driveAppData: 'https://www.googleapis.com/auth/drive.appdata',
  driveReadonly: 'https://www.googleapis.com/auth/drive.readonly',
  driveMetadataReadonly: 'https://www.googleapis.com/auth/drive.metadata.readonly',
  email: 'https://www.googleapis.com/auth/userinfo.email',
  profile: 'https://www.googleapis.com/auth/userinfo.profile',
} as const;

/** What ChatVault asks for: its own visible files plus the hidden per-app folder. */
export const DEFAULT_TEST_SCOPES: readonly string[] = [SCOPES.driveFile, SCOPES.driveAppData];

// Google accepts these short aliases in the `scope` parameter and reports them expanded.
const SHORT_ALIASES: Readonly<Record<string, string>> = {
  email: SCOPES.email,
  profile: SCOPES.profile,
};

/** Splits a space-separated `scope` parameter, expanding Google's short aliases and dropping repeats. */
export function parseScopeParameter(value: string): string[] {
  const scopes = value
    .split(/\s+/)
    .filter((scope) => scope.length > 0)
    .map((scope) => SHORT_ALIASES[scope] ?? scope);
  return [...new Set(scopes)];
}
