import { describe, expect, it } from 'vitest';
import { aspectInput, letterbox, letterboxFilter, toSource } from '../../../src-main/domain/letterbox.js';
import { detectorLetterbox } from '../../../src-main/detect/detectorSpecs.js';

describe('letterbox into a square (the fixed-input detectors)', () => {
  it('scales to fit, pads the rest centred, and maps input fractions back to source pixels exactly', () => {
    const box = letterbox(1920, 1080, 256);
    expect(box).toEqual({ sourceWidth: 1920, sourceHeight: 1080, inputWidth: 256, inputHeight: 256, contentWidth: 256, contentHeight: 144, offsetX: 0, offsetY: 56 });
    expect(toSource(box, 0, 56 / 256)).toEqual({ x: 0, y: 0 });
    expect(toSource(box, 1, 200 / 256)).toEqual({ x: 1920, y: 1080 });
    expect(toSource(box, 0.5, 0.5)).toEqual({ x: 960, y: 540 });
    expect(letterboxFilter(box)).toBe('scale=256:144:flags=bilinear,pad=256:256:0:56:black');
  });

  it('keeps CenterNet square at 512 whatever the aspect', () => {
    expect(detectorLetterbox('centernet', 1920, 1080)).toEqual(letterbox(1920, 1080, 512));
    expect(detectorLetterbox('centernet', 720, 1280)).toMatchObject({ inputWidth: 512, inputHeight: 512, contentWidth: 288, contentHeight: 512, offsetX: 112, offsetY: 0 });
  });
});

describe('aspect-aware input (MoveNet: any size in steps of 32 px)', () => {
  it.each([
    [1920, 1080, 256, 160],
    [1280, 720, 256, 160],
    [720, 1280, 160, 256],
    [1080, 1920, 160, 256],
    [640, 480, 256, 192],
    [480, 640, 192, 256],
    [1080, 1080, 256, 256],
    [1000, 563, 256, 160], // 144.1 px rounded up
    [4000, 100, 256, 32], // never below one step
  ])('%i x %i -> %i x %i', (w, h, iw, ih) => {
    expect(aspectInput(w, h, 256)).toEqual({ width: iw, height: ih });
    const box = detectorLetterbox('movenet-multipose', w, h);
    expect([box.inputWidth, box.inputHeight]).toEqual([iw, ih]);
    expect(box.contentWidth).toBeLessThanOrEqual(iw);
    expect(box.contentHeight).toBeLessThanOrEqual(ih);
  });

  it('1920x1080 -> 256x160: the same scale as the square, 8 px bands, coordinates back exactly', () => {
    const box = detectorLetterbox('movenet-multipose', 1920, 1080);
    expect(box).toEqual({ sourceWidth: 1920, sourceHeight: 1080, inputWidth: 256, inputHeight: 160, contentWidth: 256, contentHeight: 144, offsetX: 0, offsetY: 8 });
    expect(toSource(box, 0, 8 / 160)).toEqual({ x: 0, y: 0 });
    expect(toSource(box, 1, 152 / 160)).toEqual({ x: 1920, y: 1080 });
    expect(toSource(box, 0.5, 0.5)).toEqual({ x: 960, y: 540 });
    expect(letterboxFilter(box)).toBe('scale=256:144:flags=bilinear,pad=256:160:0:8:black');
    // a pixel of the content lands on the same source point as in the square input
    const square = letterbox(1920, 1080, 256);
    expect(toSource(box, 100 / 256, (8 + 70) / 160)).toEqual(toSource(square, 100 / 256, (56 + 70) / 256));
  });

  it('720x1280 (portrait) -> 160x256, the transposed rectangle', () => {
    const box = detectorLetterbox('movenet-multipose', 720, 1280);
    expect(box).toEqual({ sourceWidth: 720, sourceHeight: 1280, inputWidth: 160, inputHeight: 256, contentWidth: 144, contentHeight: 256, offsetX: 8, offsetY: 0 });
    expect(toSource(box, 8 / 160, 0)).toEqual({ x: 0, y: 0 });
    expect(toSource(box, 152 / 160, 1)).toEqual({ x: 720, y: 1280 });
    expect(letterboxFilter(box)).toBe('scale=144:256:flags=bilinear,pad=160:256:8:0:black');
  });

  it('640x480 -> 256x192 with no padding at all, and a square video stays square', () => {
    expect(detectorLetterbox('movenet-multipose', 640, 480)).toEqual({ sourceWidth: 640, sourceHeight: 480, inputWidth: 256, inputHeight: 192, contentWidth: 256, contentHeight: 192, offsetX: 0, offsetY: 0 });
    expect(detectorLetterbox('movenet-multipose', 1080, 1080)).toEqual(letterbox(1080, 1080, 256));
  });

  it('refuses sizes it cannot honour, in words', () => {
    expect(() => aspectInput(0, 1080, 256)).toThrow('a video needs a positive size, not 0x1080');
    expect(() => aspectInput(1920, 1080, 250)).toThrow("the detector's side (250) must be a positive multiple of 32");
  });
});
