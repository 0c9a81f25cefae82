/** The stand-in's HTML: a consent page with Allow / Cancel buttons, and Google-style error pages. */

export interface ConsentPageModel {
  requestId: string;
  clientName: string;
  email: string;
  scopes: readonly string[];
}

export function consentPage(model: ConsentPageModel): string {
  const scopes = model.scopes.map((scope) => `<li>${escapeHtml(scope)}</li>`).join('');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in - Google Accounts</title></head>
<body>
<h1>${escapeHtml(model.clientName)} wants to access your Google Account</h1>
<p id="account">${escapeHtml(model.email)}</p>
<p>This will allow ${escapeHtml(model.clientName)} to:</p>
<ul id="scopes">${scopes}</ul>
<form method="post" action="/o/oauth2/v2/auth/consent">
<input type="hidden" name="request_id" value="${escapeHtml(model.requestId)}">
<button type="submit" id="deny" name="decision" value="deny">Cancel</button>
<button type="submit" id="allow" name="decision" value="allow">Allow</button>
</form>
</body></html>
`;
}

/** Google shows these instead of redirecting when it cannot trust the client or redirect URI. */
export function errorPage(status: number, error: string, detail: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Error ${status}: ${escapeHtml(error)}</title></head>
<body>
<h1>Access blocked: Authorization Error</h1>
<p id="error">Error ${status}: ${escapeHtml(error)}</p>
<p id="detail">${escapeHtml(detail)}</p>
</body></html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
