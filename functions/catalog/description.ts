import sanitizeHtml from 'sanitize-html';

/**
 * Product descriptions are HTML that the storefront renders as is, so an admin's HTML keeps only
 * formatting: no scripts, styles, event handlers, iframes or `javascript:` links. Images may point
 * at http(s) addresses only; links open safely in a new tab.
 */
const options: sanitizeHtml.IOptions = {
  allowedTags: [...sanitizeHtml.defaults.allowedTags, 'h1', 'h2', 'img', 'span'],
  allowedAttributes: {
    a: ['href', 'title', 'target', 'rel'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    '*': ['class'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowProtocolRelative: false,
  transformTags: {
    a: (tagName, attribs) => ({
      tagName,
      attribs: { ...attribs, ...(attribs['target'] ? { rel: 'noopener noreferrer' } : {}) },
    }),
  },
};

export function sanitizeDescription(html: string): string {
  return sanitizeHtml(html, options).trim();
}
