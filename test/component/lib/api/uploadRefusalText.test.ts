import { afterEach, describe, expect, it } from 'vitest';
import { uploadRefusalText } from '../../../../src-renderer/lib/api/serveTransport.js';
import { setLanguage } from '../../../../src-renderer/lib/i18n.svelte.js';

afterEach(() => setLanguage('en'));

describe('uploadRefusalText', () => {
  it("shows the server's sentence for a refused upload", () => {
    const body = JSON.stringify({ error: { code: 'UPLOAD_TOO_LARGE', message: 'The upload was refused: it is 3.0 GB, over the 2.0 GB limit for one file.' } });
    expect(uploadRefusalText('walk.mp4', 413, body)).toBe('walk.mp4: The upload was refused: it is 3.0 GB, over the 2.0 GB limit for one file.');
  });

  it('falls back to the status when the answer is not one of ours', () => {
    expect(uploadRefusalText('walk.mp4', 403, 'Wrong origin')).toBe('The upload of walk.mp4 was refused (403).');
    expect(uploadRefusalText('walk.mp4', 500, '{"other":1}')).toBe('The upload of walk.mp4 was refused (500).');
  });
});

describe('uploadRefusalText in Japanese', () => {
  it("joins the file name and the server's sentence, or says the status, in Japanese", () => {
    setLanguage('ja');
    const body = JSON.stringify({ error: { code: 'UPLOAD_TOO_LARGE', message: 'アップロードは拒否されました。' } });
    expect(uploadRefusalText('walk.mp4', 413, body)).toBe('walk.mp4：アップロードは拒否されました。');
    expect(uploadRefusalText('walk.mp4', 403, 'Wrong origin')).toBe('walk.mp4 のアップロードは拒否されました（403）。');
    expect(uploadRefusalText('walk.mp4', 500, '{"other":1}')).not.toMatch(/components\./);
  });
});
