/**
 * index.html at the top of the archive. Everything it needs sits next to it and is loaded with
 * <script src> (which works from file://, unlike fetch): the viewer program, then the chat list;
 * each chat's data script is added when the chat is opened. Nothing is fetched from the network,
 * and with JavaScript off the page says where the plain-text chats are.
 */
export function viewerPage(): string {
  return `<!doctype html>
<html lang="en" data-theme="auto">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<title>WhatsApp chats (ChatVault archive)</title>
</head>
<body>
<noscript><p>This viewer needs JavaScript. Without it, open the "chats" folder: every chat is there as a WhatsApp text export (.txt) with its photos and files next to it.</p></noscript>
<div id="app"></div>
<script src="viewer/viewer.js"></script>
<script src="viewer/chats.js"></script>
</body>
</html>
`;
}
