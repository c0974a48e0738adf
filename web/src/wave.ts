// Waveforms (wavesurfer.js) of the shown page, destroyed when it is left.
import WaveSurfer from "wavesurfer.js";

const waves: WaveSurfer[] = [];

/** A waveform of an address, a file, or a player's audio (which it then follows). */
export function waveform(container: HTMLElement, audio: string | Blob | HTMLAudioElement): WaveSurfer {
  const media = audio instanceof HTMLAudioElement ? audio : undefined;
  const ws = WaveSurfer.create({
    container,
    height: 64,
    waveColor: "#8aa2c8",
    progressColor: "#3b528b",
    media,
    url: typeof audio === "string" ? audio : undefined,
  });
  if (audio instanceof Blob) void ws.loadBlob(audio);
  container.addEventListener("click", () => void ws.playPause());
  waves.push(ws);
  return ws;
}

/**
 * A clip's waveform is drawn the first time its player plays, from that player's audio: a run of 300
 * clips would otherwise fetch every one when its page opens. The waveform then follows the player.
 */
export function waveOnPlay(root: ParentNode): void {
  root.querySelectorAll<HTMLElement>(".clip").forEach((clip) => {
    const audio = clip.querySelector<HTMLAudioElement>("audio.gen");
    const wave = clip.querySelector<HTMLElement>(".wave");
    if (audio && wave) audio.addEventListener("play", () => void waveform(wave, audio), { once: true });
  });
}

export function destroyWaves(): void {
  waves.splice(0).forEach((w) => w.destroy());
}
