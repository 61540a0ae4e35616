/**
 * The Content-Security-Policy of the renderer, shared by the Electron shell and serve mode.
 * No remote origin anywhere: WalkScope runs air-gapped. Media and the WebSocket are local.
 */
export function contentSecurityPolicy(options: { connectSrc: string[]; mediaSrc: string[] }): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `media-src ${['\'self\'', 'blob:', ...options.mediaSrc].join(' ')}`,
    `connect-src ${['\'self\'', ...options.connectSrc].join(' ')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
