/** A plain-http address on this machine: where the development set-up may skip TLS. */
export const isLoopbackUrl = (url: string) =>
  /^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/.test(url);
