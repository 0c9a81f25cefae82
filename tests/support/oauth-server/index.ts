export { DEFAULT_CLIENT_ID, isAllowedRedirect, type OAuthClient } from './clients';
export { OAuthStandInError, type OAuthStandInErrorCode } from './oauth-error';
export {
  createOAuthServer,
  type OAuthCounters,
  type OAuthServer,
  type OAuthServerOptions,
  type OAuthSettings,
} from './oauth-server';
export { DEFAULT_TEST_SCOPES, SCOPES } from './scopes';
export { type RunningOAuthServer, startOAuthServer } from './start';
export {
  type AccessTokenRecord,
  createTokenRegistry,
  type GoogleAccount,
  type IssueTokenOptions,
  type TokenCheck,
  TokenRegistry,
  type TokenRegistryOptions,
} from './token-registry';
