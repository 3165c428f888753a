/**
 * What each HTTP function's handler can answer, found in the code: the error codes its handler can
 * throw (directly, or through the services, clients of other domains and ports it calls) and its
 * success statuses. The OpenAPI document adds what the pipeline answers for every route (401/403 by
 * access mode, 400 for schemas and bodies, 413/415 for bodies, 500), so together they are every
 * status a route can produce.
 *
 *   node --import tsx tools/openapi/route-outcomes.ts --write    after changing what a route throws
 *
 * writes functions/ops/route-outcomes.generated.ts, which the running API reads (it cannot run
 * TypeScript's compiler); `npm test` fails while that file differs from what the code says.
 *
 * How: TypeScript's own compiler API. From each `defineHttp({ ... handler })`, every call is
 * followed to its declaration (a function, a method, an arrow function), and a call through an
 * interface (a port such as PaymentProvider, a domain's deps) to every object or class implementing
 * that member; `new AppError('code', ...)` and the helpers (notFound(), conflict(), ...) give the
 * codes. A code only known as the whole ErrorCode type (a rethrow of an existing error) adds nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { errorStatus, type ErrorCode } from '../../shared/http/errors.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const generatedFile = path.join(root, 'functions', 'ops', 'route-outcomes.generated.ts');

export interface RouteOutcome {
  /** Error codes the handler can throw, sorted. */
  errors: ErrorCode[];
  /** Statuses the handler answers itself: 200 for ok(), 201 for created(), a raw response's, a written-out result's. */
  success: number[];
  /** Content types of raw (not enveloped) responses, when the handler answers raw. */
  raw: string[];
  /** Every ok()/created() of the handler passes null: `data` is always null. */
  dataNull: boolean;
}

/** Function name (or a pattern with `*` for a factory's `${...}`) -> what it can answer. */
export type RouteOutcomes = Record<string, RouteOutcome>;

const allCodes = Object.keys(errorStatus) as ErrorCode[];
const isProjectFile = (file: string) =>
  !file.includes('/node_modules/') && !file.endsWith('.d.ts') && file.startsWith(root);

type FunctionLike =
  | ts.FunctionDeclaration
  | ts.MethodDeclaration
  | ts.ArrowFunction
  | ts.FunctionExpression
  | ts.ConstructorDeclaration
  | ts.GetAccessorDeclaration;

const hasBody = (node: ts.Node): node is FunctionLike =>
  (ts.isFunctionDeclaration(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isArrowFunction(node) ||
    ts.isFunctionExpression(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node)) &&
  node.body !== undefined;

export function analyseRoutes(): RouteOutcomes {
  const configPath = path.join(root, 'tsconfig.build.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (!parsed) throw new Error(`cannot read ${configPath}`);
  // Only our own files: what a library throws is never an AppError, and leaving node_modules out
  // (noResolve, no @types) makes this a few seconds instead of half a minute.
  const program = ts.createProgram({
    rootNames: parsed.fileNames,
    options: { ...parsed.options, noEmit: true, noResolve: true, types: [], noLib: true },
  });
  const checker = program.getTypeChecker();
  /** A raw response's content type: a string literal, or a constant holding one; else any type. */
  const contentTypeOf = (arg: ts.Expression | undefined): string => {
    if (!arg) return '*/*';
    if (ts.isStringLiteralLike(arg)) return arg.text;
    const type = checker.getTypeAtLocation(arg);
    return type.isStringLiteral() ? type.value : '*/*';
  };
  const sources = program.getSourceFiles().filter((f) => isProjectFile(f.fileName));

  // ---- implementations of interface members (ports, deps objects, classes that implement) ----
  const implementations = new Map<ts.Node, ts.Node[]>();
  const addImplementation = (member: ts.Node, impl: ts.Node | undefined) => {
    if (!impl) return;
    const list = implementations.get(member) ?? [];
    list.push(impl);
    implementations.set(member, list);
  };
  const functionOf = (expression: ts.Node): ts.Node | undefined => {
    if (hasBody(expression)) return expression;
    if (ts.isIdentifier(expression) || ts.isPropertyAccessExpression(expression)) {
      let symbol = checker.getSymbolAtLocation(expression);
      if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
      return symbol?.declarations?.find((d) => hasBody(d) || ts.isVariableDeclaration(d));
    }
    return undefined;
  };
  const membersOf = (type: ts.Type, name: string): ts.Node[] => {
    const types = type.isUnion() ? type.types : [type];
    return types.flatMap((t) => t.getProperty(name)?.declarations ?? []);
  };
  const indexImplementations = (node: ts.Node) => {
    // Object literals handed to a library (z.object({...}), db.insertInto(...).values({...})) implement
    // nothing of ours, and typing them is where the checker spends its time.
    const toLibrary =
      ts.isObjectLiteralExpression(node) &&
      ts.isCallExpression(node.parent) &&
      (() => {
        const callee = node.parent.expression;
        let symbol = checker.getSymbolAtLocation(callee);
        if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
        const file = symbol?.declarations?.[0]?.getSourceFile().fileName;
        return file === undefined || !isProjectFile(file);
      })();
    if (ts.isObjectLiteralExpression(node) && !toLibrary) {
      const contextual = checker.getContextualType(node);
      if (contextual) {
        for (const property of node.properties) {
          const name = property.name && ts.isIdentifier(property.name) ? property.name.text : undefined;
          if (!name) continue;
          let impl: ts.Node | undefined;
          if (ts.isMethodDeclaration(property)) impl = property;
          else if (ts.isPropertyAssignment(property)) impl = functionOf(property.initializer);
          else if (ts.isShorthandPropertyAssignment(property)) {
            const value = checker.getShorthandAssignmentValueSymbol(property);
            const target =
              value && value.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(value) : value;
            impl = target?.declarations?.find((d) => hasBody(d) || ts.isVariableDeclaration(d));
          }
          for (const member of membersOf(contextual, name))
            if (member !== property) addImplementation(member, impl);
        }
      }
    }
    if (ts.isClassDeclaration(node)) {
      for (const clause of node.heritageClauses ?? []) {
        for (const implemented of clause.types) {
          const type = checker.getTypeAtLocation(implemented);
          for (const member of node.members) {
            const name = member.name && ts.isIdentifier(member.name) ? member.name.text : undefined;
            if (name && hasBody(member)) for (const m of membersOf(type, name)) addImplementation(m, member);
          }
        }
      }
    }
    ts.forEachChild(node, indexImplementations);
  };
  sources.forEach(indexImplementations);

  // ---- the walk ----
  const codeTypes = (expression: ts.Expression): ErrorCode[] => {
    const type = checker.getTypeAtLocation(expression);
    const literals = (type.isUnion() ? type.types : [type])
      .filter((t) => t.isStringLiteral())
      .map((t) => (t as ts.StringLiteralType).value as ErrorCode);
    // The whole union is a rethrow of an error made elsewhere (counted there).
    return literals.length === allCodes.length ? [] : literals.filter((c) => allCodes.includes(c));
  };
  const isDeclaredIn = (node: ts.Node | undefined, file: string) =>
    node !== undefined && node.getSourceFile().fileName === path.join(root, file);
  const declarationsOf = (expression: ts.Expression): ts.Node[] => {
    let symbol = checker.getSymbolAtLocation(expression);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    return symbol?.declarations ?? [];
  };
  const declarationOf = (expression: ts.Expression): ts.Node | undefined => declarationsOf(expression)[0];

  type Found = { errors: Set<ErrorCode>; success: Set<number>; raw: Set<string>; data: boolean };
  function walk(start: ts.Node, outcome: Found) {
    const seen = new Set<ts.Node>();
    const queue: ts.Node[] = [start];
    const enqueue = (node: ts.Node | undefined) => {
      if (!node || seen.has(node) || !isProjectFile(node.getSourceFile().fileName)) return;
      // ok(), created() and rawResponse() are read at their calls, not inside.
      if (isDeclaredIn(node, 'shared/http/types.ts')) return;
      if (ts.isVariableDeclaration(node)) {
        if (node.initializer && hasBody(node.initializer)) enqueue(node.initializer);
        return;
      }
      if (hasBody(node)) {
        seen.add(node);
        queue.push(node);
        return;
      }
      for (const impl of implementations.get(node) ?? []) enqueue(impl);
    };
    const visit = (node: ts.Node): void => {
      if (ts.isNewExpression(node) && isDeclaredIn(declarationOf(node.expression), 'shared/http/errors.ts')) {
        const [code] = node.arguments ?? [];
        if (code) for (const c of codeTypes(code)) outcome.errors.add(c);
      }
      // A HandlerResult written out: { kind: 'envelope', status: healthy ? 200 : 503, ... }.
      if (ts.isObjectLiteralExpression(node)) {
        const get = (name: string) =>
          node.properties.find(
            (p): p is ts.PropertyAssignment =>
              ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === name,
          )?.initializer;
        const kind = get('kind');
        const status = get('status');
        if (kind && ts.isStringLiteral(kind) && ['envelope', 'raw'].includes(kind.text) && status) {
          const numbers = (n: ts.Node): void => {
            if (ts.isNumericLiteral(n)) outcome.success.add(Number(n.text));
            ts.forEachChild(n, numbers);
          };
          numbers(status);
          if (kind.text === 'envelope') outcome.data = true;
        }
      }
      if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
        const callee = declarationOf(node.expression);
        if (isDeclaredIn(callee, 'shared/http/types.ts')) {
          const name = ts.isIdentifier(node.expression) ? node.expression.text : '';
          const args = node.arguments ?? [];
          if (name === 'ok') outcome.success.add(200);
          if (name === 'created') outcome.success.add(201);
          if ((name === 'ok' || name === 'created') && args[0]?.kind !== ts.SyntaxKind.NullKeyword) {
            outcome.data = true;
          }
          if (name === 'rawResponse') {
            const status = args[2] && ts.isNumericLiteral(args[2]) ? Number(args[2].text) : 200;
            outcome.success.add(status);
            outcome.raw.add(contentTypeOf(args[1]).split(';')[0] ?? '*/*');
          }
        }
        // The callee's declarations (by symbol: resolving signatures would make the checker infer
        // every zod and Kysely generic on the way, many times slower).
        for (const declaration of declarationsOf(node.expression)) {
          if (ts.isClassDeclaration(declaration)) {
            enqueue(declaration.members.find((m) => ts.isConstructorDeclaration(m) && m.body !== undefined));
          } else enqueue(declaration);
        }
        // A project function passed by name (rows.map(toDto)) is as good as called.
        for (const argument of node.arguments ?? []) {
          if (ts.isIdentifier(argument) || ts.isPropertyAccessExpression(argument)) {
            const target = declarationOf(argument);
            if (target && hasBody(target)) enqueue(target);
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    while (queue.length > 0) {
      const next = queue.shift();
      if (next) visit(next);
    }
  }

  // ---- the routes ----
  const outcomes: RouteOutcomes = {};
  const findDefinitions = (node: ts.Node) => {
    if (
      ts.isCallExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'defineHttp' &&
      node.arguments[0] &&
      ts.isObjectLiteralExpression(node.arguments[0])
    ) {
      const literal = node.arguments[0];
      const property = (name: string) =>
        literal.properties.find((p) => p.name && ts.isIdentifier(p.name) && p.name.text === name);
      const nameProperty = property('name');
      const handler = property('handler');
      if (!nameProperty || !ts.isPropertyAssignment(nameProperty) || !handler) {
        throw new Error(`${node.getSourceFile().fileName}: a defineHttp() without a name or a handler`);
      }
      const name = nameOf(nameProperty.initializer);
      const outcome: Found = { errors: new Set(), success: new Set(), raw: new Set(), data: false };
      walk(ts.isPropertyAssignment(handler) ? handler.initializer : handler, outcome);
      outcomes[name] = {
        errors: [...outcome.errors].sort(),
        success: [...outcome.success].sort((a, b) => a - b),
        raw: [...outcome.raw].sort(),
        dataNull: !outcome.data && outcome.success.size > 0 && outcome.raw.size === 0,
      };
    }
    ts.forEachChild(node, findDefinitions);
  };
  for (const source of sources) {
    if (source.fileName.includes('/shared/') || source.fileName.includes('/tests/')) continue;
    findDefinitions(source);
  }
  return Object.fromEntries(Object.entries(outcomes).sort(([a], [b]) => a.localeCompare(b)));
}

function nameOf(expression: ts.Expression): string {
  if (ts.isStringLiteralLike(expression)) return expression.text;
  if (ts.isTemplateExpression(expression))
    return expression.head.text + expression.templateSpans.map((s) => `*${s.literal.text}`).join('');
  throw new Error(`a function name that is neither text nor a template: ${expression.getText()}`);
}

export function generatedSource(outcomes: RouteOutcomes): string {
  return [
    '// Generated by tools/openapi/route-outcomes.ts from the handlers: do not edit by hand. Run',
    '// `node --import tsx tools/openapi/route-outcomes.ts --write` after changing what a route throws.',
    "import type { RouteOutcomes } from '../../shared/http/openapi.js';",
    '',
    `export const routeOutcomes: RouteOutcomes = ${JSON.stringify(outcomes, null, 2)};`,
    '',
  ].join('\n');
}

if (process.argv.includes('--write')) {
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(generatedFile)) ?? {};
  const text = await prettier.format(generatedSource(analyseRoutes()), {
    ...options,
    parser: 'typescript',
    filepath: generatedFile,
  });
  fs.writeFileSync(generatedFile, text);
  console.log(`wrote ${path.relative(root, generatedFile)}`);
}
