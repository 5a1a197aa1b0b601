/** The console's one HTML page; the script and stylesheet are the in-memory bundle. */
export function shellHtml(prefix: string, jsTag: string, cssTag: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>NetPulse</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${prefix}/assets/app.css?v=${cssTag}">
<script type="module" src="${prefix}/assets/app.js?v=${jsTag}"></script>
</head>
<body>
<div id="app"><noscript>The NetPulse console needs JavaScript.</noscript></div>
</body>
</html>
`;
}

/**
 * Only the console's own origin: no inline script or style, no third-party origin (deployments
 * often have no internet, and nothing else should run next to an authenticated console).
 */
export const UI_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');
