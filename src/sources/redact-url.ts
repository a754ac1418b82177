/**
 * The URL without user info, query or fragment, safe for logs and error details: feed URLs
 * sometimes carry a token there.
 *
 * @example
 * redactUrl('https://user:pw@feed.example/osint/?token=x'); // 'https://feed.example/osint/'
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    parsed.search = '';
    parsed.hash = '';
    return parsed.toString();
  } catch {
    return '[invalid url]';
  }
}
