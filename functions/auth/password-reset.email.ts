import type { EmailMessage } from '../../shared/email/mailer.js';

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** The reset email: a link to the storefront's reset page carrying the email and the one-time token. */
export function passwordResetEmail(input: {
  to: string;
  shopName: string;
  shopUrl: string;
  token: string;
  validMinutes: number;
}): EmailMessage {
  const link = new URL('/reset-password', input.shopUrl);
  link.searchParams.set('email', input.to);
  link.searchParams.set('token', input.token);
  const url = link.toString();
  return {
    to: input.to,
    subject: `Reset your ${input.shopName} password`,
    text: [
      `Someone asked to reset the password of your ${input.shopName} account.`,
      `Open this link within ${input.validMinutes} minutes to choose a new password:`,
      url,
      `Your reset code is: ${input.token}`,
      'If it was not you, ignore this email: your password stays as it is.',
    ].join('\n\n'),
    html: `<p>Someone asked to reset the password of your ${escapeHtml(input.shopName)} account.</p>
<p><a href="${escapeHtml(url)}">Choose a new password</a> (the link works once, for ${input.validMinutes} minutes).</p>
<p>Your reset code is: <code>${escapeHtml(input.token)}</code></p>
<p>If it was not you, ignore this email: your password stays as it is.</p>`,
  };
}
