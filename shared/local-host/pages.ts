import type { StoredEmail } from '../email/local-mailbox.js';
import { escapeHtml } from './html.js';

/** The local mailbox page: every email the shop "sent", newest first. */
export function mailboxPage(mails: StoredEmail[]): string {
  const rows = mails
    .map(
      (m) => `<tr><td>${escapeHtml(m.sentAt)}</td><td>${escapeHtml(m.to)}</td>
      <td><a href="/mailbox/${encodeURIComponent(m.id)}">${escapeHtml(m.subject)}</a></td></tr>`,
    )
    .join('\n');
  return layout(
    'Local mailbox',
    `<h1>Local mailbox</h1><p>${mails.length} message(s). Emails are kept here instead of being sent, because no email service is configured.</p>
    <table><thead><tr><th>Sent (UTC)</th><th>To</th><th>Subject</th></tr></thead><tbody>${rows}</tbody></table>`,
  );
}

/** One email. Its HTML body is shown in a sandboxed frame, so nothing in it can run. */
export function mailPage(mail: StoredEmail): string {
  return layout(
    mail.subject,
    `<p><a href="/mailbox">&larr; Mailbox</a></p><h1>${escapeHtml(mail.subject)}</h1>
    <p>To: ${escapeHtml(mail.to)}<br>Sent: ${escapeHtml(mail.sentAt)}</p>
    <iframe sandbox title="message" srcdoc="${escapeHtml(mail.html)}"></iframe>
    <h2>Plain text</h2><pre>${escapeHtml(mail.text)}</pre>`,
  );
}

function layout(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem}table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left}iframe{width:100%;height:24rem;border:1px solid #ccc}</style>
</head><body>${body}</body></html>`;
}
