/** Hash routes, so a reload keeps the place: #/patients, #/patients/CODE, #/videos/ID/review, #/jobs, #/models, #/models/screening/ID, #/settings. */
export type Route =
  | { name: 'patients' }
  | { name: 'patient'; code: string }
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

export class Router {
  route = $state<Route>(parseRoute(location.hash));

  constructor() {
    window.addEventListener('hashchange', () => (this.route = parseRoute(location.hash)));
  }

  go(route: Route): void {
    location.hash = routeHref(route);
  }
}
