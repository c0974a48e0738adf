// Renders one demo song from its genre's recipe: chords, bass, melody and drums over a tempo grid.
import type { Random } from "../random.js";
import { Mix } from "./synth.js";
import { sharedTimbres, type Recipe } from "./recipes.js";

export interface SongOptions {
  seconds: number;
  sampleRate: number;
}

/** MIDI pitch of scale degree `degree` (may exceed the octave) above `root`. */
function pitch(scale: readonly number[], root: number, degree: number): number {
  const octave = Math.floor(degree / scale.length);
  return root + 12 * octave + scale[((degree % scale.length) + scale.length) % scale.length]!;
}

function chordNotes(r: Recipe, root: number, degree: number): number[] {
  if (r.chordTones === "power") {
    const p = pitch(r.scale, root, degree);
    return [p, p + 7, p + 12];
  }
  const steps = r.chordTones === "seventh" ? [0, 2, 4, 6] : [0, 2, 4];
  return steps.map((s) => pitch(r.scale, root, degree + s));
}

/** A song's tempo in beats per minute: the first draw of its random stream (see `demoSongTempo`). */
export const drawTempo = (r: Recipe, rng: Random): number => rng.range(...r.bpm);

export function renderSong(r: Recipe, rng: Random, o: SongOptions): Float32Array {
  const mix = new Mix(o.sampleRate, o.seconds, rng);
  const bpm = drawTempo(r, rng);
  const sixteenth = 60 / bpm / 4;
  const swingShift = (r.swing - 0.5) * 4 * sixteenth; // delays off-beat eighths
  // Production choices shared across genres blur the average spectrum, so that telling genres
  // apart takes rhythm and structure, not just timbre: a borrowed instrument, a transposed key,
  // a different recording brightness and noise floor.
  const root = Math.round(rng.range(...r.root)) + rng.int(-5, 5);
  const lead = r.lead && rng.chance(0.35) ? rng.pick(sharedTimbres) : r.lead;
  const chordTimbre = r.chords && rng.chance(0.35) ? rng.pick(sharedTimbres) : r.chords;
  const progression = rng.pick(r.progressions);
  const level = rng.range(0.5, 1);
  const at = (bar: number, pos: number): number => (bar * 16 + pos) * sixteenth + (pos % 4 === 2 ? swingShift : 0);
  const bars = Math.ceil(o.seconds / (16 * sixteenth));
  // Sections without drums or lead make songs less uniform (and the task less trivial).
  const breakBar = rng.chance(0.4) ? rng.int(2, Math.max(2, bars - 2)) : -1;
  let leadDegree = rng.int(0, r.scale.length - 1);
  let walk = 0;

  for (let bar = 0; bar < bars; bar++) {
    const degree = progression[bar % progression.length]!;
    const chord = chordNotes(r, root + 12, degree);
    const bassRoot = pitch(r.scale, root, degree);
    const inBreak = bar >= breakBar && bar < breakBar + 2;

    if (chordTimbre) {
      const c = chordTimbre;
      const amp = 0.35 * level;
      switch (r.chordPattern) {
        case "sustain":
          mix.chord(at(bar, 0), 16 * sixteenth, chord, amp, c);
          break;
        case "arpeggio":
          for (let p = 0; p < 16; p += 2)
            mix.note(at(bar, p), 2 * sixteenth, chord[(p / 2) % chord.length]! + 12, amp * 0.6, c);
          break;
        case "skank":
          for (const p of [2, 6, 10, 14]) mix.chord(at(bar, p), sixteenth, chord, amp, c);
          break;
        case "eighths":
          for (let p = 0; p < 16; p += 2) mix.chord(at(bar, p), 2 * sixteenth, chord, amp, c);
          break;
        case "power16":
          for (let p = 0; p < 16; p++) mix.chord(at(bar, p), sixteenth, chord, amp * (p % 4 === 0 ? 1 : 0.7), c);
          break;
        case "stabs":
          for (let p = 0; p < 16; p += 2) if (rng.chance(0.4)) mix.chord(at(bar, p), 2 * sixteenth, chord, amp, c);
          break;
      }
    }

    const b = r.bass;
    const bAmp = 0.5 * level;
    switch (r.bassPattern) {
      case "roots":
        mix.note(at(bar, 0), 8 * sixteenth, bassRoot, bAmp, b);
        mix.note(at(bar, 8), 8 * sixteenth, bassRoot, bAmp, b);
        break;
      case "rootFifth":
        mix.note(at(bar, 0), 4 * sixteenth, bassRoot, bAmp, b);
        mix.note(at(bar, 8), 4 * sixteenth, bassRoot + 7, bAmp, b);
        break;
      case "octaves":
        for (let p = 0; p < 16; p += 2) mix.note(at(bar, p), 2 * sixteenth, bassRoot + (p % 4 ? 12 : 0), bAmp, b);
        break;
      case "sub":
        mix.note(at(bar, 0), 10 * sixteenth, bassRoot, bAmp * 1.3, b);
        mix.note(at(bar, 11), 5 * sixteenth, bassRoot, bAmp, b);
        break;
      case "oneDrop":
        mix.note(at(bar, 0), 3 * sixteenth, bassRoot, bAmp * 1.2, b);
        mix.note(at(bar, 6), 2 * sixteenth, bassRoot + 7, bAmp, b);
        mix.note(at(bar, 12), 3 * sixteenth, bassRoot, bAmp, b);
        break;
      case "walking":
        for (let p = 0; p < 16; p += 4) {
          walk = p === 0 ? 0 : walk + rng.pick([-1, 1, 1, 2]);
          mix.note(at(bar, p), 4 * sixteenth, pitch(r.scale, bassRoot, walk), bAmp, b);
        }
        break;
    }

    if (lead && !inBreak) {
      for (let p = 0; p < 16; p += 2) {
        if (!rng.chance(r.leadDensity)) continue;
        leadDegree = Math.max(-3, Math.min(10, leadDegree + rng.pick([-2, -1, -1, 1, 1, 2, 0])));
        const len = rng.chance(0.3) ? 4 : 2;
        mix.note(at(bar, p), len * sixteenth, pitch(r.scale, root + r.leadOctave, leadDegree), 0.4 * level, lead);
      }
    }

    const d = r.drums;
    if (d && !inBreak) {
      const dAmp = 0.8 * level;
      for (const p of d.kick) mix.kick(at(bar, p), dAmp);
      for (const p of d.snare) mix.snare(at(bar, p), dAmp * 0.6, d.snareBody ?? 0.5);
      for (const p of d.hat) mix.hat(at(bar, p), dAmp * 0.35);
      for (const p of d.openHat ?? []) mix.hat(at(bar, p), dAmp * 0.35, true);
      if (d.ride) for (const p of [0, 4, 6, 8, 12, 14]) mix.ride(at(bar, p), dAmp * 0.3);
      if (d.crashEveryBars && bar % d.crashEveryBars === 0) mix.crash(at(bar, 0), dAmp * 0.4);
    }
  }

  mix.drive(rng.range(...r.drive));
  mix.lowpass(Math.min(10_000, rng.range(...r.brightness) * rng.range(0.4, 1.6)));
  mix.swell(rng.range(0.03, 0.2), rng.range(...r.swell), rng.range(0, 2 * Math.PI));
  mix.normalize(rng.range(0.35, 0.9));
  mix.noise(rng.range(...r.noise) + rng.range(0, 0.012), r.crackle ?? 0);
  return mix.buf;
}
