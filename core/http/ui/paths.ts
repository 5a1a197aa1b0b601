/** Where the console lives. Its shell, assets and session routes need no key; /ui/api/* does. */
export const UI_PREFIX = '/ui';

/** The console's public paths: the HTML shell, its built assets and sign-in/sign-out. */
export function isUiPublicPath(path: string): boolean {
  return (
    path === UI_PREFIX ||
    path === `${UI_PREFIX}/` ||
    path === `${UI_PREFIX}/session` ||
    path.startsWith(`${UI_PREFIX}/assets/`)
  );
}
