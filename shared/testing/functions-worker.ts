import fs from 'node:fs';
import Module from 'node:module';
import os from 'node:os';
import path from 'node:path';

/**
 * The Functions worker loads `@azure/functions-core` into the process; the library registers its
 * programming model and each function with it. This stand-in plays the worker: it records each
 * registration (the function's metadata, with its bindings, and its handler) and the programming
 * model, so a test can check what the host would see and invoke a function as the host does.
 */
export interface RegisteredFunction {
  metadata: { name: string; bindings: Record<string, Record<string, unknown>> };
  handler: (...args: unknown[]) => unknown;
}

export interface InvocationModel {
  getArguments(): Promise<{ context: unknown; inputs: unknown[] }>;
  invokeFunction(context: unknown, inputs: unknown[], handler: unknown): Promise<unknown>;
  getResponse(
    context: unknown,
    result: unknown,
  ): Promise<{ returnValue?: { http?: Record<string, unknown> } }>;
}

export interface FunctionsWorker {
  model: { getInvocationModel(ctx: unknown): InvocationModel } | undefined;
  functions: RegisteredFunction[];
  /** The function's trigger binding (the one whose type ends in `Trigger`). */
  triggerOf(name: string): Record<string, unknown> | undefined;
  /** Gives `@azure/functions-core` back to Node's resolver. */
  restore(): void;
}

type Resolve = (request: string, ...rest: unknown[]) => string;

/** Installs the stand-in; the library asks for the core module when it first registers something. */
export function standInFunctionsWorker(): FunctionsWorker {
  const worker: FunctionsWorker = {
    model: undefined,
    functions: [],
    triggerOf(name) {
      const fn = worker.functions.find((f) => f.metadata.name === name);
      return Object.values(fn?.metadata.bindings ?? {}).find((b) => String(b['type']).endsWith('Trigger'));
    },
    restore: () => {},
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'functions-core-'));
  const coreFile = path.join(dir, 'core.cjs');
  fs.writeFileSync(
    coreFile,
    `const worker = globalThis.__functionsWorker;
     module.exports = {
       setProgrammingModel: (model) => { worker.model = model; },
       registerFunction: (metadata, handler) => { worker.functions.push({ metadata, handler }); return { dispose() {} }; },
       registerHook: () => ({ dispose() {} }),
       log: () => {},
     };`,
  );
  (globalThis as { __functionsWorker?: FunctionsWorker }).__functionsWorker = worker;
  const moduleInternals = Module as unknown as { _resolveFilename: Resolve };
  const resolve = moduleInternals._resolveFilename;
  moduleInternals._resolveFilename = (request, ...rest) =>
    request === '@azure/functions-core' ? coreFile : resolve(request, ...rest);
  worker.restore = () => {
    moduleInternals._resolveFilename = resolve;
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return worker;
}
