/**
 * Whether the jobs dock under every screen is folded, kept in this computer's browser storage
 * (a layout choice, no patient data). A profile that refuses storage starts open and forgets.
 */
export const dockFoldedKey = 'walkscope.jobsPanel.collapsed';

export function readDockFolded(): boolean {
  try {
    return globalThis.localStorage?.getItem(dockFoldedKey) === 'true';
  } catch {
    return false;
  }
}

export function rememberDockFolded(folded: boolean): void {
  try {
    globalThis.localStorage?.setItem(dockFoldedKey, String(folded));
  } catch {
    // not remembered; folded for this visit only
  }
}
