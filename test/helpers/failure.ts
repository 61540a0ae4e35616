import { AppError } from '../../src-main/contract/errors.js';

/** What a call throws, as "CODE: detail" for an AppError or "Error: message"; undefined when it does not throw. */
export const failure = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    return error instanceof AppError ? `${error.code}: ${error.detail}` : `Error: ${(error as Error).message}`;
  }
  return undefined;
};
