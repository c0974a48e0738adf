// What every page shares: the element it draws into, the live stream it follows and what it drew;
// leaving a page closes and frees them.
import { clearCharts } from "./chart.js";
import { destroyWaves } from "./wave.js";

export const app = document.getElementById("app")!;
let live: EventSource | undefined;

/** Follows the server-sent events at `url` while the page is shown. */
export function follow(url: string, onMessage: (data: string) => void): void {
  live = new EventSource(url);
  live.onmessage = (e: MessageEvent<string>) => onMessage(e.data);
}

export function leavePage(): void {
  live?.close();
  live = undefined;
  destroyWaves();
  clearCharts();
}

/** Draws the shown page afresh (the router listens for hash changes). */
export const redraw = (): void => void window.dispatchEvent(new HashChangeEvent("hashchange"));
