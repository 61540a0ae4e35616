import { z } from 'zod';
import { AppError, errorMessage, type ErrorCode, type ErrorReply } from './errors.js';
import { isMethodName, methods, type MethodName, type ReplyOf } from './methods.js';

/** Who is calling: the transport name and the person acting (written into the audit log). */
export interface CallContext {
  transport: 'electron' | 'serve' | 'cli' | 'test';
  actor: string;
}

/** The services implement every method of the contract with parsed, typed requests. */
export type ServiceHandlers = {
  [M in MethodName]: (request: z.output<(typeof methods)[M]['request']>, context: CallContext) => Promise<ReplyOf<M>> | ReplyOf<M>;
};

export type CallResult<T = unknown> = { ok: true; value: T } | { ok: false; error: ErrorReply };

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => {
      const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
      return `${where}${issue.message}`;
    })
    .join('; ');
}

/** A request the dispatcher refused or a service refused with an AppError: what the audit log may keep of it (no request values). */
export interface Refusal {
  method: string;
  code: ErrorCode;
  /** The request fields at fault (paths only), for BAD_REQUEST. */
  fields: string[];
}

export interface DispatcherOptions {
  /** Receives failures that are not AppErrors (bugs), with their cause, for the log. */
  onInternalError?: (method: string, cause: unknown) => void;
  /** Receives every refusal (UNKNOWN_METHOD, BAD_REQUEST, an AppError); the reply is the same whatever it does. */
  onRefused?: (refusal: Refusal, context: CallContext) => void;
}

/**
 * One generic dispatcher for every method and every transport: checks the method name,
 * validates the request, calls the service, validates the reply, and turns any failure
 * into a catalogue code plus a sentence. Nothing method-specific lives here.
 */
export function createDispatcher(handlers: ServiceHandlers, options: DispatcherOptions = {}) {
  const refused = (refusal: Refusal, context: CallContext) => {
    try {
      options.onRefused?.(refusal, context);
    } catch (error) {
      options.onInternalError?.(refusal.method, error);
    }
  };
  return async function dispatch(method: unknown, payload: unknown, context: CallContext): Promise<CallResult> {
    if (!isMethodName(method)) {
      const shown = typeof method === 'string' ? method.slice(0, 80) : typeof method;
      refused({ method: shown, code: 'UNKNOWN_METHOD', fields: [] }, context);
      return { ok: false, error: { code: 'UNKNOWN_METHOD', message: errorMessage('UNKNOWN_METHOD', shown), detail: shown } };
    }
    const spec = methods[method];
    const parsed = spec.request.safeParse(payload ?? {});
    if (!parsed.success) {
      refused({ method, code: 'BAD_REQUEST', fields: [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || '(request)'))].slice(0, 10) }, context);
      return { ok: false, error: { code: 'BAD_REQUEST', message: errorMessage('BAD_REQUEST', `${method}: ${describeIssues(parsed.error)}`), detail: `${method}: ${describeIssues(parsed.error)}` } };
    }
    try {
      const handler = handlers[method] as (request: unknown, context: CallContext) => unknown;
      const value = await handler(parsed.data, context);
      const checked = spec.reply.safeParse(value);
      if (!checked.success) {
        options.onInternalError?.(method, checked.error);
        return { ok: false, error: { code: 'INTERNAL', message: errorMessage('INTERNAL', `the reply of ${method} did not match the contract`), detail: `the reply of ${method} did not match the contract` } };
      }
      return { ok: true, value: checked.data };
    } catch (error) {
      if (error instanceof AppError) {
        refused({ method, code: error.code, fields: [] }, context);
        return { ok: false, error: error.toReply() };
      }
      options.onInternalError?.(method, error);
      const detail = error instanceof Error ? error.message.slice(0, 200) : String(error).slice(0, 200);
      return { ok: false, error: { code: 'INTERNAL', message: errorMessage('INTERNAL', detail), detail } };
    }
  };
}

export type Dispatch = ReturnType<typeof createDispatcher>;
