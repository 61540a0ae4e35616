import { describe, expect, it } from 'vitest';
import { pictureInLayer } from '../../../../../src-renderer/lib/review/snapshotCompose.js';

describe('where the picture is in an overlay canvas', () => {
  it('letterboxed in a taller layer, at a device pixel ratio of 2', () => {
    // 1280x720 in a 640x480 layer: half size, 60 CSS pixels of bar above and below
    expect(pictureInLayer(1280, 720, 640, 480, 1280, 960)).toEqual({ x: 0, y: 120, width: 1280, height: 720 });
  });

  it('pillarboxed in a wider layer, at a device pixel ratio of 1.5', () => {
    // a 720x1280 portrait video in an 800x450 layer: 450/1280 = 0.3515625, 273.4375 CSS pixels either side
    expect(pictureInLayer(720, 1280, 800, 450, 1200, 675)).toEqual({ x: 410.15625, y: 0, width: 379.6875, height: 675 });
  });

  it('is nothing before the layer is laid out', () => {
    expect(pictureInLayer(1280, 720, 0, 0, 0, 0)).toBeNull();
    expect(pictureInLayer(1280, 720, 640, 360, 0, 0)).toBeNull();
  });
});
