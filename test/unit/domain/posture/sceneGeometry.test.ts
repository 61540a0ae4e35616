import { describe, expect, it } from 'vitest';
import { angleAboveForward, angleFromDown, angleFromUp, toScene, wrapDegrees } from '../../../../src-main/domain/posture/sceneGeometry.js';
import { sceneToImage } from '../../../helpers/syntheticPose.js';

describe('scene axes', () => {
  it('without a vertical reference: h = x, z = -y (image y is down)', () => {
    expect(toScene(30, 40, 0)).toEqual({ h: 30, z: -40 });
  });
  it("a reference of 90 degrees: the scene's up is the image's right", () => {
    const up = toScene(1, 0, 90);
    expect(up.h).toBeCloseTo(0, 15);
    expect(up.z).toBeCloseTo(1, 15);
  });
  it("is undone by the test helper's camera tilt", () => {
    const p = sceneToImage(120, -350, 7.5);
    const back = toScene(p.x, p.y, 7.5);
    expect(back.h).toBeCloseTo(120, 10);
    expect(back.z).toBeCloseTo(-350, 10);
  });
});

describe('angles', () => {
  const o = { h: 0, z: 0 };
  it('from up, forward positive whichever way forward is', () => {
    expect(angleFromUp(o, { h: 1, z: 1 }, 1)).toBeCloseTo(45, 12);
    expect(angleFromUp(o, { h: -1, z: 1 }, -1)).toBeCloseTo(45, 12);
    expect(angleFromUp(o, { h: -1, z: 1 }, 1)).toBeCloseTo(-45, 12);
  });
  it('from down: a limb hanging straight is 0, swung forward positive', () => {
    expect(angleFromDown(o, { h: 0, z: -1 }, 1)).toBe(0);
    expect(angleFromDown(o, { h: 1, z: -Math.sqrt(3) }, 1)).toBeCloseTo(30, 12);
  });
  it('above the forward horizontal: straight up is 90', () => {
    expect(angleAboveForward(o, { h: 0, z: 2 }, 1)).toBe(90);
    expect(angleAboveForward(o, { h: -1, z: 1 }, -1)).toBeCloseTo(45, 12);
  });
  it('wraps to (-180, 180]', () => {
    expect([wrapDegrees(190), wrapDegrees(-180), wrapDegrees(540), wrapDegrees(-190)]).toEqual([-170, 180, 180, 170]);
  });
});
