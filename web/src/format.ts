// Text for the dashboard's HTML: escaping (labels and names are users' text) and percentages.
export const esc = (s: unknown) => String(s ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
export const pct = (x: number | null) => (x === null ? "—" : `${(100 * x).toFixed(1)}%`);
