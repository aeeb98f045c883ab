/** `url` in the guest: WHATWG URL from core-js, and the legacy helpers libraries still call. */
const URLCtor = (globalThis as unknown as { URL: typeof URL }).URL;

export default {
  URL: URLCtor,
  URLSearchParams: (globalThis as unknown as { URLSearchParams: typeof URLSearchParams }).URLSearchParams,
  parse(input: string) {
    const u = new URLCtor(input);
    return {
      href: u.href,
      protocol: u.protocol,
      host: u.host,
      hostname: u.hostname,
      port: u.port || null,
      pathname: u.pathname,
      search: u.search || null,
      query: u.search ? u.search.slice(1) : null,
      hash: u.hash || null,
      path: `${u.pathname}${u.search}`,
      auth: u.username ? `${u.username}${u.password ? `:${u.password}` : ''}` : null,
    };
  },
  format: (u: { href?: string } | URL) => (u instanceof URLCtor ? u.href : String(u.href ?? '')),
  resolve: (from: string, to: string) => new URLCtor(to, new URLCtor(from, 'resolve://')).href.replace(/^resolve:\/\//, ''),
  fileURLToPath: (u: string | URL) => decodeURIComponent(new URLCtor(String(u)).pathname),
  pathToFileURL: (p: string) => new URLCtor(`file://${p.split('/').map(encodeURIComponent).join('/')}`),
};
