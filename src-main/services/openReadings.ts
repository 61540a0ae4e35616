type Dispatch = (method: string, payload: unknown) => Promise<{ ok: boolean }>;

/**
 * The reading sessions one window or browser tab has entered and not left. A reader who closes
 * the tab (or the app) instead of pressing "Leave" would otherwise leave an audit trail that says
 * they are still reading; the transport calls `leaveAll` when its connection ends, which records
 * each leave marked as a closed window. Watches the calls the transport carries, so the page
 * cannot forget to report.
 */
export class OpenReadings {
  private readonly open = new Map<string, { id: number; readerCode: string }>();

  /** Notes a successful enter or leave among the calls a transport carried. */
  observe(method: unknown, payload: unknown, result: { ok: boolean }): void {
    if (method !== 'studies.readingSession' || !result.ok) return;
    const { id, readerCode, action } = payload as { id: number; readerCode: string; action: 'enter' | 'leave' };
    const key = `${id}/${readerCode}`;
    if (action === 'enter') this.open.set(key, { id, readerCode });
    else this.open.delete(key);
  }

  get count(): number {
    return this.open.size;
  }

  /** Records the leave of every session still open; returns how many were recorded. */
  async leaveAll(dispatch: Dispatch): Promise<number> {
    const sessions = [...this.open.values()];
    this.open.clear();
    let recorded = 0;
    for (const { id, readerCode } of sessions) {
      const result = await dispatch('studies.readingSession', { id, readerCode, action: 'leave', closed: true });
      if (result.ok) recorded++;
    }
    return recorded;
  }
}
