/** HTML escaping: every piece of data in a report goes through this (no data is ever markup). */
export function esc(v: unknown): string {
  return String(v ?? '').replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}
