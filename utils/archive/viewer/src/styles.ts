/**
 * The viewer's stylesheet, injected at boot (one script file carries the whole viewer).
 * WhatsApp-like: incoming bubbles left, your own right in green, system lines centred; light
 * and dark from the system setting or the theme button.
 */
export const STYLES = `
:root {
  color-scheme: light;
  --bg: #efeae2; --panel: #ffffff; --panel-2: #f0f2f5; --text: #111b21; --muted: #667781;
  --in: #ffffff; --out: #d9fdd3; --sys: #ffffffe6; --line: #e9edef; --accent: #008069;
  --mark: #ffe066; --quote: #0000000d; --danger: #b3261e;
}
:root[data-theme='dark'] {
  color-scheme: dark;
  --bg: #0b141a; --panel: #111b21; --panel-2: #202c33; --text: #e9edef; --muted: #8696a0;
  --in: #202c33; --out: #005c4b; --sys: #182229; --line: #2a3942; --accent: #00a884;
  --mark: #8a6d00; --quote: #ffffff14; --danger: #f2b8b5;
}
@media (prefers-color-scheme: dark) {
  :root[data-theme='auto'] {
    color-scheme: dark;
    --bg: #0b141a; --panel: #111b21; --panel-2: #202c33; --text: #e9edef; --muted: #8696a0;
    --in: #202c33; --out: #005c4b; --sys: #182229; --line: #2a3942; --accent: #00a884;
    --mark: #8a6d00; --quote: #ffffff14; --danger: #f2b8b5;
  }
}
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; }
body {
  font: 14.2px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Color Emoji", sans-serif;
  color: var(--text); background: var(--panel-2);
}
button, input { font: inherit; color: inherit; }
#app, .layout { height: 100%; }
.layout { display: grid; grid-template-columns: minmax(260px, 30%) 1fr; }
.sidebar { display: flex; flex-direction: column; min-height: 0; background: var(--panel); border-right: 1px solid var(--line); }
.sidebar-header { display: flex; align-items: center; justify-content: space-between; padding: 10px 16px; background: var(--panel-2); }
.sidebar-header h1 { font-size: 19px; margin: 0; }
.theme { border: 0; background: none; font-size: 18px; cursor: pointer; }
.sidebar-body { display: flex; flex-direction: column; min-height: 0; flex: 1; }
.archive-facts { margin: 6px 16px; color: var(--muted); font-size: 12.5px; }
.archive-problems { margin: 4px 16px 8px; color: var(--danger); font-size: 12.5px; }
.chat-list-pane { display: flex; flex-direction: column; min-height: 0; flex: 1; }
.filter { padding: 6px 12px; }
.filter input, .search input { width: 100%; padding: 6px 10px; border: 0; border-radius: 8px; background: var(--panel-2); }
.chat-list { overflow-y: auto; flex: 1; }
.chat-item { display: flex; gap: 12px; width: 100%; padding: 10px 14px; border: 0; border-bottom: 1px solid var(--line);
  background: none; text-align: left; cursor: pointer; align-items: center; }
.chat-item:hover, .chat-item.selected { background: var(--panel-2); }
.avatar { flex: none; width: 44px; height: 44px; border-radius: 50%; display: grid; place-items: center;
  background: var(--accent); color: #fff; font-weight: 600; font-size: 15px; }
.chat-text { min-width: 0; flex: 1; }
.chat-top, .chat-bottom { display: flex; justify-content: space-between; gap: 8px; }
.chat-title { font-size: 16px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.chat-top small, .chat-preview { color: var(--muted); }
.chat-preview { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; font-size: 13.5px; }
.warn { color: var(--danger); }
.main { min-width: 0; min-height: 0; background: var(--bg); display: flex; flex-direction: column; }
.empty { margin: auto; color: var(--muted); padding: 24px; text-align: center; }
.empty.error { color: var(--danger); }
.chat { display: flex; flex-direction: column; height: 100%; min-height: 0; }
.chat-header { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: center; justify-content: space-between;
  padding: 8px 16px; background: var(--panel-2); border-bottom: 1px solid var(--line); }
.chat-heading h2 { margin: 0; font-size: 16px; font-weight: 600; }
.chat-heading small { color: var(--muted); }
.tools { display: flex; gap: 8px; align-items: center; }
.search { display: flex; gap: 4px; align-items: center; }
.search input { width: 200px; }
.search button { border: 0; background: none; cursor: pointer; color: var(--muted); }
.count { color: var(--muted); font-size: 12px; min-width: 56px; text-align: right; }
.tools input[type=date] { border: 0; border-radius: 8px; padding: 5px 8px; background: var(--panel); }
.notes { padding: 6px 16px; background: var(--panel); color: var(--danger); font-size: 13px; border-bottom: 1px solid var(--line); }
.notes ul { margin: 4px 0; padding-left: 20px; }
.messages { flex: 1; overflow-y: auto; position: relative; outline: none; }
.spacer { position: relative; width: 100%; }
.row { padding: 2px 7% 2px 7%; display: flex; flex-direction: column; }
.day { text-align: center; margin: 10px 0 6px; }
.day span { display: inline-block; padding: 4px 12px; border-radius: 8px; background: var(--sys); color: var(--muted);
  font-size: 12.5px; box-shadow: 0 1px 0.5px #0b141a21; }
.sys { align-self: center; max-width: 80%; margin: 4px 0; padding: 5px 12px; border-radius: 8px; background: var(--sys);
  color: var(--muted); font-size: 12.5px; text-align: center; white-space: pre-wrap; }
.msg { position: relative; max-width: min(75%, 560px); margin: 1px 0; padding: 6px 8px 4px; border-radius: 8px;
  box-shadow: 0 1px 0.5px #0b141a21; overflow-wrap: anywhere; }
.msg.in { align-self: flex-start; background: var(--in); }
.msg.out { align-self: flex-end; background: var(--out); }
.msg.match { box-shadow: 0 0 0 2px var(--mark); }
.msg.current, .sys.current { box-shadow: 0 0 0 3px var(--accent); }
mark { background: var(--mark); color: inherit; border-radius: 2px; }
.author { font-weight: 600; font-size: 13px; margin-bottom: 2px; }
.fwd { color: var(--muted); font-style: italic; font-size: 12.5px; }
.quote { border-left: 4px solid var(--accent); background: var(--quote); border-radius: 6px; padding: 4px 8px; margin: 2px 0 4px; }
.quote.link { cursor: pointer; }
.qa { color: var(--accent); font-weight: 600; font-size: 12.5px; }
.qx { color: var(--muted); font-size: 13px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.text { white-space: pre-wrap; }
.text.note, .deleted { color: var(--muted); font-style: italic; }
.deleted { font-size: 12.5px; }
.meta { display: flex; gap: 6px; justify-content: flex-end; color: var(--muted); font-size: 11px; margin-top: 2px; }
.reactions { display: flex; gap: 4px; flex-wrap: wrap; margin-top: 4px; }
.reactions span { background: var(--panel-2); border-radius: 12px; padding: 0 6px; font-size: 13px; }
.media { display: block; max-width: 100%; height: auto; border-radius: 6px; margin: 2px 0; }
.media img { display: block; max-width: 100%; height: auto; border-radius: 6px; }
video.media { background: #000; }
.audio { display: flex; gap: 8px; align-items: center; }
.audio audio { max-width: 260px; height: 36px; }
.doc, .loc, .card { display: flex; flex-direction: column; gap: 2px; padding: 8px; border-radius: 6px; background: var(--quote);
  color: inherit; text-decoration: none; margin: 2px 0; }
.doc { flex-direction: row; align-items: center; gap: 8px; }
.doc small, .loc small { color: var(--muted); }
.missing { padding: 8px; border-radius: 6px; background: var(--quote); color: var(--muted); font-size: 13px; margin: 2px 0; }
.poll { display: flex; flex-direction: column; gap: 4px; min-width: 220px; }
.poll small { color: var(--muted); }
.option { display: grid; grid-template-columns: 1fr auto; gap: 2px 8px; }
.option .bar { grid-column: 1 / -1; height: 4px; border-radius: 2px; background: var(--accent); }
.votes { color: var(--muted); }
@media (max-width: 720px) {
  .layout { grid-template-columns: 1fr; grid-template-rows: 40% 60%; }
  .row { padding: 2px 3%; }
  .search input { width: 130px; }
}
`;
