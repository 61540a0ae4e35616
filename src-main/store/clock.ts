/** ISO-8601 UTC timestamps; tests pass a fixed clock. */
export type Clock = () => string;
export const systemClock: Clock = () => new Date().toISOString();
