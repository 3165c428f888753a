/**
 * A small well-formedness check for the APIM policy files (Node has no XML parser): balanced and
 * properly nested elements, quoted attributes, no stray `<` or `&` in text. Policy expressions must
 * therefore be XML-safe (no generic `<T>` in text, `&&` written as `&amp;&amp;`), which APIM
 * accepts as well. Returns the problems found, each with its line.
 */
export function xmlProblems(text: string): string[] {
  const problems: string[] = [];
  const stack: { name: string; line: number }[] = [];
  const lineAt = (index: number) => text.slice(0, index).split('\n').length;
  let roots = 0;
  let i = 0;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const textPart = lt === -1 ? text.slice(i) : text.slice(i, lt);
    const badAmp = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.exec(textPart);
    if (badAmp) problems.push(`line ${lineAt(i + badAmp.index)}: unescaped "&" in text`);
    if (lt === -1) {
      if (textPart.trim() !== '' && stack.length === 0)
        problems.push(`line ${lineAt(i)}: text outside the root element`);
      break;
    }
    if (textPart.trim() !== '' && stack.length === 0)
      problems.push(`line ${lineAt(i)}: text outside the root element`);
    if (text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt + 4);
      if (end === -1) {
        problems.push(`line ${lineAt(lt)}: unterminated comment`);
        break;
      }
      i = end + 3;
      continue;
    }
    if (text.startsWith('<?', lt)) {
      const end = text.indexOf('?>', lt);
      i = end === -1 ? text.length : end + 2;
      continue;
    }
    const tag =
      /^<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_][\w:.-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/s.exec(
        text.slice(lt),
      );
    if (!tag) {
      problems.push(`line ${lineAt(lt)}: malformed tag or stray "<"`);
      i = lt + 1;
      continue;
    }
    const [whole, closing, name = '', attributes = '', selfClosing] = tag;
    const seen = new Set<string>();
    for (const attribute of attributes.matchAll(/([A-Za-z_][\w:.-]*)\s*=/g)) {
      if (seen.has(attribute[1] ?? '')) problems.push(`line ${lineAt(lt)}: attribute ${attribute[1]} twice`);
      seen.add(attribute[1] ?? '');
    }
    if (closing) {
      const open = stack.pop();
      if (!open) problems.push(`line ${lineAt(lt)}: </${name}> closes nothing`);
      else if (open.name !== name)
        problems.push(`line ${lineAt(lt)}: </${name}> closes <${open.name}> of line ${open.line}`);
    } else if (!selfClosing) {
      if (stack.length === 0) roots++;
      stack.push({ name, line: lineAt(lt) });
    } else if (stack.length === 0) roots++;
    i = lt + whole.length;
  }
  for (const open of stack) problems.push(`line ${open.line}: <${open.name}> is never closed`);
  if (roots !== 1) problems.push(`expected one root element, found ${roots}`);
  return problems;
}
