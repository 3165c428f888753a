import type sanitizeHtml from 'sanitize-html';

/**
 * Product descriptions are HTML that the storefront renders as is, so an admin's HTML keeps only
 * formatting: no scripts, styles, event handlers, iframes or `javascript:` links. Images may point
 * at http(s) addresses only; links open safely in a new tab.
 */
const options = (defaults: string[]): sanitizeHtml.IOptions => ({
  allowedTags: [...defaults, 'h1', 'h2', 'img', 'span'],
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
});

/** sanitize-html (and its parsers) load with the first product write, not with every start. */
let loaded: Promise<(html: string) => string> | undefined;

export async function sanitizeDescription(html: string): Promise<string> {
  loaded ??= import('sanitize-html').then(({ default: sanitize }) => {
    const settings = options(sanitize.defaults.allowedTags);
    return (text: string) => sanitize(text, settings);
  });
  return (await loaded)(html).trim();
}
