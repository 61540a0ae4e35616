import type { CallResult } from './dispatcher.js';
import type { EventName } from './methods.js';

/** Messages on a message-based transport (serve-mode WebSocket). */
export type ClientMessage = { type: 'call'; id: number; method: string; payload: unknown };
export type ServerMessage =
  | { type: 'reply'; id: number; result: CallResult }
  | { type: 'event'; name: EventName; payload: unknown };

/** Upper bound on one message from a client; bigger frames are refused by the transport. */
export const maxClientMessageBytes = 256 * 1024;
