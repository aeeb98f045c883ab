/** `querystring` in the guest. */
export default {
  stringify(obj: Record<string, unknown>): string {
    return Object.keys(obj)
      .map((k) => {
        const v = obj[k];
        const values = Array.isArray(v) ? v : [v];
        return values.map((x) => `${encodeURIComponent(k)}=${encodeURIComponent(x === undefined || x === null ? '' : String(x))}`).join('&');
      })
      .join('&');
  },
  parse(text: string): Record<string, string | string[]> {
    const out: Record<string, string | string[]> = {};
    for (const part of text.split('&')) {
      if (!part) continue;
      const eq = part.indexOf('=');
      const k = decodeURIComponent((eq < 0 ? part : part.slice(0, eq)).replace(/\+/g, ' '));
      const v = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1).replace(/\+/g, ' '));
      const prev = out[k];
      out[k] = prev === undefined ? v : Array.isArray(prev) ? prev.concat(v) : [prev, v];
    }
    return out;
  },
  escape: encodeURIComponent,
  unescape: decodeURIComponent,
};
