/** The pages the fake WeChat Work shows for 网页授权 and 扫码登录: a form to pick who the member is. */

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

export interface ApprovalPage {
  title: string;
  explanation: string;
  redirectUri: string;
  state: string;
  flow: 'oauth' | 'sso';
  /** Members the fake knows, offered in a list; anyone may still be typed. */
  members: readonly string[];
}

export function approvalPage(page: ApprovalPage): string {
  const options = page.members.map((m) => `<option value="${escape(m)}"></option>`).join('');
  const qr = page.flow === 'sso' ? '<div class="qr" role="img" aria-label="模拟的登录二维码">▦▦▦<br>▦ ▦<br>▦▦▦</div>' : '';
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(page.title)}</title>
<style>body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#222}
.qr{font:2.5rem/1 monospace;text-align:center;border:1px solid #ccc;padding:1rem;margin:1rem 0}label{display:block;margin:1rem 0 .3rem}
input{font-size:1rem;padding:.4rem;width:100%;box-sizing:border-box}button{margin-top:1rem;font-size:1rem;padding:.5rem 1.5rem;background:#07c160;color:#fff;border:0;border-radius:4px}
.note{color:#666;font-size:.85rem}</style></head><body>
<h1>${escape(page.title)}</h1><p class="note">${escape(page.explanation)}</p>${qr}
<form method="post" action="/__fake/oauth/approve">
<input type="hidden" name="redirect_uri" value="${escape(page.redirectUri)}"><input type="hidden" name="state" value="${escape(page.state)}">
<label for="userid">企业微信成员 userid</label><input id="userid" name="userid" list="members" required autocomplete="off" autofocus>
<datalist id="members">${options}</datalist>
<button type="submit" id="approve">确认登录</button></form></body></html>`;
}

export function errorPage(message: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>授权失败</title></head><body><h1>授权失败</h1><p id="error">${escape(message)}</p></body></html>`;
}
