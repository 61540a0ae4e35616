/** Hash routes, so a reload keeps the place: #/patients, #/patients/CODE, #/patients/CODE/compare[/A/B], #/videos/ID/review, #/jobs, #/models, #/models/screening/ID, #/settings. */
export type Route =
  | { name: 'patients' }
  | { name: 'patient'; code: string }
  /** Two visits of a patient side by side; the videos, when named, are `a` (earlier) and `b` (later). */
  | { name: 'compare'; code: string; a: number | null; b: number | null }
  | { name: 'jobs' }
  | { name: 'models' }
  | { name: 'screeningModel'; id: string }
  | { name: 'studies' }
  | { name: 'study'; id: number }
  | { name: 'reading'; id: number; reader: string }
  | { name: 'review'; videoId: number }
  | { name: 'settings' };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'patients' && parts[1] && parts[2] === 'compare') {
    const ids = /^\d+$/.test(parts[3] ?? '') && /^\d+$/.test(parts[4] ?? '') ? { a: Number(parts[3]), b: Number(parts[4]) } : { a: null, b: null };
    return { name: 'compare', code: parts[1], ...ids };
  }
  if (parts[0] === 'patients' && parts[1]) return { name: 'patient', code: parts[1] };
  if (parts[0] === 'videos' && parts[2] === 'review' && /^\d+$/.test(parts[1] ?? '')) return { name: 'review', videoId: Number(parts[1]) };
  if (parts[0] === 'jobs') return { name: 'jobs' };
  if (parts[0] === 'models' && parts[1] === 'screening' && parts[2]) return { name: 'screeningModel', id: parts[2] };
  if (parts[0] === 'models') return { name: 'models' };
  if (parts[0] === 'studies' && parts[1] && parts[2] === 'read' && parts[3]) return { name: 'reading', id: Number(parts[1]), reader: parts[3] };
  if (parts[0] === 'studies' && parts[1]) return { name: 'study', id: Number(parts[1]) };
  if (parts[0] === 'studies') return { name: 'studies' };
  if (parts[0] === 'settings') return { name: 'settings' };
  return { name: 'patients' };
}

export function routeHref(route: Route): string {
  switch (route.name) {
    case 'patient':
      return `#/patients/${encodeURIComponent(route.code)}`;
    case 'compare':
      return `#/patients/${encodeURIComponent(route.code)}/compare${route.a !== null && route.b !== null ? `/${route.a}/${route.b}` : ''}`;
    case 'study':
      return `#/studies/${route.id}`;
    case 'screeningModel':
      return `#/models/screening/${encodeURIComponent(route.id)}`;
    case 'review':
      return `#/videos/${route.videoId}/review`;
    case 'reading':
      return `#/studies/${route.id}/read/${encodeURIComponent(route.reader)}`;
    default:
      return `#/${route.name}`;
  }
}

function sameRoute(a: Route, b: Route): boolean {
  return routeHref(a) === routeHref(b);
}

/**
 * The current route, from the hash. A reading session is a screen of its own: while the
 * route is `reading`, any other hash (a typed URL, a bookmark, back) is put back to the
 * reading route, and only `leaveReading` (the screen's one "Leave reading" button) opens
 * the rest of the workstation again.
 */
export class Router {
  route = $state<Route>(parseRoute(location.hash));
  /** How many times a navigation away from a reading session was refused (the screen says so). */
  refused = $state(0);
  private readonly onHashChange = () => this.follow(parseRoute(location.hash));

  constructor() {
    window.addEventListener('hashchange', this.onHashChange);
  }

  /** The reading session that holds the screen, or null. */
  get reading(): Extract<Route, { name: 'reading' }> | null {
    return this.route.name === 'reading' ? this.route : null;
  }

  go(route: Route): void {
    location.hash = routeHref(route);
  }

  /** Ends the reading session's hold and goes to its study. */
  leaveReading(): void {
    const reading = this.reading;
    if (!reading) return;
    this.route = { name: 'study', id: reading.id };
    this.go({ name: 'study', id: reading.id });
  }

  dispose(): void {
    window.removeEventListener('hashchange', this.onHashChange);
  }

  private follow(next: Route): void {
    const reading = this.reading;
    if (reading && !sameRoute(next, reading)) {
      // back to the reading route without a new history entry (replaceState fires no hashchange)
      history.replaceState(history.state, '', routeHref(reading));
      this.refused++;
      return;
    }
    this.route = next;
  }
}
