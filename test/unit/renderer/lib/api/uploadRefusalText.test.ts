import { describe, expect, it } from 'vitest';
import { uploadRefusalText } from '../../../../../src-renderer/lib/api/serveTransport.js';

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
