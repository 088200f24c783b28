/**
 * Small server-rendered pages the API shows to people following links from emails (confirm,
 * unsubscribe), and the page shell the diff viewer shares. Pure: strings in, HTML out, every
 * interpolated value escaped. Styles are inline in one <style> block: no CDN, no build step.
 */
import { escapeHtml } from './render-email.ts';

/** Content-Security-Policy for every page we render: nothing loads from anywhere, forms post back to us. */
export const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const BASE_CSS = `
body{margin:0;background:#f5f7fa;color:#1f2933;font:15px/1.5 -apple-system,"Segoe UI",Helvetica,Arial,sans-serif}
main{max-width:1100px;margin:0 auto;padding:24px 16px}
h1{font-size:22px;margin:0 0 12px}
h2{font-size:17px;margin:24px 0 8px}
a{color:#2f5c9e}
.card{background:#fff;border:1px solid #d9e2ec;border-radius:6px;padding:16px;margin:0 0 16px}
.muted{color:#52606d;font-size:13px}
button{background:#2f5c9e;color:#fff;border:0;border-radius:4px;padding:8px 16px;font-size:15px;cursor:pointer}
`;

/** A complete HTML document around `body`. `css` adds page-specific rules. */
export function renderPage(title: string, body: string, css = ''): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">',
    `<title>${escapeHtml(title)}</title><style>${BASE_CSS}${css}</style></head>`,
    `<body><main>${body}</main></body></html>`,
  ].join('\n');
}

export interface NoticePageInput {
  title: string;
  /** Paragraphs of plain text. */
  paragraphs: string[];
  /** A button that POSTs to `url` (e.g. the unsubscribe confirmation). */
  postButton?: { url: string; label: string };
}

/** A one-card page: a title, a few sentences, maybe one button. */
export function renderNoticePage(input: NoticePageInput): string {
  const button = input.postButton
    ? `<form method="post" action="${escapeHtml(input.postButton.url)}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">${escapeHtml(input.postButton.label)}</button></form>`
    : '';
  return renderPage(
    input.title,
    `<div class="card"><h1>${escapeHtml(input.title)}</h1>${input.paragraphs.map((text) => `<p>${escapeHtml(text)}</p>`).join('')}${button}</div>`,
  );
}
