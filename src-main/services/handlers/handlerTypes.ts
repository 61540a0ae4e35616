import type { ServiceHandlers } from '../../contract/dispatcher.js';
import type { MethodName } from '../../contract/methods.js';

/**
 * The handlers of one area: requests arrive parsed and typed; a handler throws AppError for
 * anything the user must act on. No transport-specific code in any of them.
 */
export type AreaHandlers<M extends MethodName> = Pick<ServiceHandlers, M>;
