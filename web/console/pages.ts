function escape(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** A small page for login outcomes that are not the console itself (refused, expired, failed). */
export function messagePage(title: string, message: string, action?: { href: string; label: string }): string {
  const link = action ? `<p><a class="button" href="${escape(action.href)}">${escape(action.label)}</a></p>` : '';
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} - 指挥中心</title><link rel="stylesheet" href="/console/app.css"></head>
<body class="message-page"><main><h1>${escape(title)}</h1><p id="message">${escape(message)}</p>${link}</main></body></html>`;
}
