/** A plain-http address on this machine: where the development set-up may skip TLS. */
export const isLoopbackUrl = (url: string) =>
  /^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/.test(url);

/** A host name or address that only this machine can reach (what `API_HOST` may be beside the development provider). */
export const isLoopbackHost = (host: string) =>
  /^(127\.\d+\.\d+\.\d+|localhost|::1|\[::1\])$/i.test(host.trim());
