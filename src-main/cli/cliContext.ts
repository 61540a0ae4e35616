import { AppError, type ErrorReply } from '../contract/errors.js';
import type { MethodName, ReplyOf, RequestOf } from '../contract/methods.js';
import type { WalkScopeApp } from '../services/walkscopeApp.js';

/** Exit codes: 0 success, 1 the operation failed (with a sentence), 2 the command line was wrong. */
export const exitCodes = { ok: 0, failed: 1, usage: 2 } as const;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export class CallFailed extends Error {
  constructor(readonly reply: ErrorReply | { code: string; message: string }) {
    super(reply.message);
    this.name = 'CallFailed';
  }
}

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** What every command gets: the app (opened lazily), flags and output. */
export class CliContext {
  private opened: WalkScopeApp | undefined;
  constructor(
    readonly json: boolean,
    readonly io: CliIo,
    private readonly openApp: () => Promise<WalkScopeApp>,
  ) {}

  async app(): Promise<WalkScopeApp> {
    if (!this.opened) {
      this.opened = await this.openApp();
      const chain = this.opened.store.auditChain;
      if (!chain.intact) {
        const first = chain.problems[0]!;
        this.io.err(`Warning: the audit log's hash chain is broken (${chain.problemCount} problem${chain.problemCount === 1 ? '' : 's'}), first at row ${first.id}. Run walkscope audit verify.`);
      }
    }
    return this.opened;
  }

  /** Calls a contract method through the same dispatcher as the UI (validation included). */
  async call<M extends MethodName>(method: M, request: RequestOf<M>): Promise<ReplyOf<M>> {
    const app = await this.app();
    const result = await app.call(method, request);
    if (!result.ok) throw new CallFailed(result.error);
    return result.value as ReplyOf<M>;
  }

  /** Prints JSON with --json, else the text. */
  print(value: unknown, text: () => string): void {
    this.io.out(this.json ? JSON.stringify(value, null, 2) : text());
  }

  async close(): Promise<void> {
    await this.opened?.close();
  }
}

export function asReply(error: unknown): ErrorReply | { code: string; message: string } | undefined {
  if (error instanceof CallFailed) return error.reply;
  if (error instanceof AppError) return error.toReply();
  return undefined;
}
