import { describe, expect, it } from 'vitest';
import { parseRoute, routeHref } from '../../../../src-renderer/lib/state/router.svelte.js';

describe('the review route', () => {
  it('parses #/videos/ID/review and writes it back', () => {
    expect(parseRoute('#/videos/12/review')).toEqual({ name: 'review', videoId: 12 });
    expect(routeHref({ name: 'review', videoId: 12 })).toBe('#/videos/12/review');
  });

  it('falls back to the patient list for a malformed video id', () => {
    expect(parseRoute('#/videos/abc/review')).toEqual({ name: 'patients' });
    expect(parseRoute('#/videos/12')).toEqual({ name: 'patients' });
    expect(parseRoute('#/videos/-3/review')).toEqual({ name: 'patients' });
  });

  it('leaves the other routes as they were', () => {
    expect(parseRoute('#/patients/WS-0001')).toEqual({ name: 'patient', code: 'WS-0001' });
    expect(parseRoute('#/studies/4/read/dr-a')).toEqual({ name: 'reading', id: 4, reader: 'dr-a' });
  });
});

describe('the screening model route', () => {
  it('parses #/models/screening/ID and writes it back; #/models stays the models list', () => {
    expect(parseRoute('#/models/screening/lr-0123456789ab')).toEqual({ name: 'screeningModel', id: 'lr-0123456789ab' });
    expect(routeHref({ name: 'screeningModel', id: 'lr-0123456789ab' })).toBe('#/models/screening/lr-0123456789ab');
    expect(parseRoute('#/models')).toEqual({ name: 'models' });
    expect(parseRoute('#/models/screening')).toEqual({ name: 'models' });
  });
});
