import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import type { ShopView, TemplateName, TemplateViews } from './email.views.js';

/**
 * Beside this module, in the sources and in dist/ alike: the build copies templates/ next to the
 * compiled file (scripts/copy-assets.mjs), and the Azure package is built the same way.
 */
export const templatesFolder = fileURLToPath(new URL('./templates/', import.meta.url));

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export interface EmailTemplates {
  render<N extends TemplateName>(name: N, view: TemplateViews[N]): RenderedEmail;
}

type Compiled = Handlebars.TemplateDelegate;

/**
 * Handlebars templates as files: `templates/<name>/subject.txt`, `body.html` and `body.txt`, and the
 * partials beside them (`layout.html`, `lines.txt`, …). HTML is compiled with Handlebars' escaping
 * (every `{{value}}` is HTML-escaped; the HTML templates never use the raw `{{{ }}}`), plain text
 * and subjects without it. Strict mode makes a missing value an error rather than a blank, and only
 * the built-in helpers exist. Templates are compiled once, on first use.
 */
export function loadTemplates(shop: ShopView, folder = templatesFolder): EmailTemplates {
  const read = (file: string) => fs.readFileSync(path.join(folder, file), 'utf8');
  const html = Handlebars.create();
  const text = Handlebars.create();
  const options = (noEscape: boolean): CompileOptions => ({ strict: true, knownHelpersOnly: true, noEscape });
  const compileHtml = (source: string) => html.compile(source, options(false));
  const compileText = (source: string) => text.compile(source, options(true));
  for (const file of fs.readdirSync(folder)) {
    const { name, ext } = path.parse(file);
    if (ext === '.html') html.registerPartial(name, compileHtml(read(file)));
    if (ext === '.txt') text.registerPartial(name, compileText(read(file)));
  }

  const compiled = new Map<TemplateName, { subject: Compiled; text: Compiled; html: Compiled }>();
  const templateOf = (name: TemplateName) => {
    let template = compiled.get(name);
    if (!template) {
      template = {
        subject: compileText(read(`${name}/subject.txt`)),
        text: compileText(read(`${name}/body.txt`)),
        html: compileHtml(read(`${name}/body.html`)),
      };
      compiled.set(name, template);
    }
    return template;
  };

  return {
    render(name, view) {
      const template = templateOf(name);
      const context = { ...view, shop };
      // A subject is one line: a line break in a value must not start a second one.
      const subject = template.subject(context).replace(/\s+/g, ' ').trim();
      return {
        subject,
        text: `${template.text({ ...context, subject }).trim()}\n`,
        html: template.html({ ...context, subject }),
      };
    },
  };
}
