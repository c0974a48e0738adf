// A tiny additive synthesiser for the demo data set: wavetable voices, drums, noise and effects,
// rendered straight into a Float32Array.
import type { Random } from "../random.js";

export interface Timbre {
  /** Relative amplitude of harmonics 1, 2, 3, ... */
  harmonics: readonly number[];
  /** Attack time in seconds. */
  attack: number;
  /** Exponential decay time constant in seconds (Infinity: sustained). */
  decay: number;
  /** Vibrato rate (Hz) and depth (fraction of the frequency). */
  vibratoHz?: number;
  vibratoDepth?: number;
}

const TABLE = 2048;
const midiHz = (note: number): number => 440 * 2 ** ((note - 69) / 12);

export class Mix {
  readonly buf: Float32Array;
  readonly #tables = new Map<Timbre, Float32Array>();

  constructor(
    readonly rate: number,
    seconds: number,
    readonly rng: Random,
  ) {
    this.buf = new Float32Array(Math.round(rate * seconds));
  }

  #table(t: Timbre): Float32Array {
    let table = this.#tables.get(t);
    if (!table) {
      table = new Float32Array(TABLE + 1);
      const norm = t.harmonics.reduce((a, b) => a + Math.abs(b), 0) || 1;
      for (let i = 0; i <= TABLE; i++) {
        let v = 0;
        t.harmonics.forEach((a, h) => (v += a * Math.sin((2 * Math.PI * (h + 1) * i) / TABLE)));
        table[i] = v / norm;
      }
      this.#tables.set(t, table);
    }
    return table;
  }

  /** A note of MIDI pitch `note` from `start` for `dur` seconds. */
  note(start: number, dur: number, note: number, amp: number, t: Timbre): void {
    const table = this.#table(t);
    const freq = midiHz(note);
    const i0 = Math.max(0, Math.round(start * this.rate));
    const release = 0.03;
    const i1 = Math.min(this.buf.length, Math.round((start + dur + release) * this.rate));
    const vibHz = t.vibratoHz ?? 0;
    const vibDepth = t.vibratoDepth ?? 0;
    let phase = 0;
    for (let i = i0; i < i1; i++) {
      const time = (i - i0) / this.rate;
      let env = time < t.attack ? time / t.attack : Math.exp(-(time - t.attack) / t.decay);
      if (time > dur) env *= Math.max(0, 1 - (time - dur) / release);
      const f = vibDepth ? freq * (1 + vibDepth * Math.sin(2 * Math.PI * vibHz * time)) : freq;
      phase += (f * TABLE) / this.rate;
      if (phase >= TABLE) phase -= TABLE * Math.floor(phase / TABLE);
      const k = Math.floor(phase);
      const v = table[k]! + (table[k + 1]! - table[k]!) * (phase - k);
      this.buf[i]! += amp * env * v;
    }
  }

  chord(start: number, dur: number, notes: readonly number[], amp: number, t: Timbre): void {
    for (const n of notes) this.note(start, dur, n, amp / Math.sqrt(notes.length), t);
  }

  /** Bass drum: a sine sweeping down from ~120 Hz with a fast decay. */
  kick(start: number, amp: number): void {
    this.#hit(
      start,
      0.25,
      (t) => amp * Math.exp(-t / 0.07) * Math.sin(2 * Math.PI * (50 * t + 70 * 0.04 * (1 - Math.exp(-t / 0.04)))),
    );
  }

  /** Snare: a noise burst over a 180 Hz body. `bright` 0..1 tilts it toward a rim click or brush. */
  snare(start: number, amp: number, bright = 0.5): void {
    this.#hit(
      start,
      0.2,
      (t) =>
        amp *
        Math.exp(-t / (0.04 + 0.06 * (1 - bright))) *
        (0.6 * (this.rng.next() * 2 - 1) + 0.4 * Math.sin(2 * Math.PI * 180 * t)),
    );
  }

  /** Hi-hat or ride: high-passed noise (first difference), closed or open. */
  hat(start: number, amp: number, open = false): void {
    let prev = 0;
    this.#hit(start, open ? 0.3 : 0.06, (t) => {
      const n = this.rng.next() * 2 - 1;
      const hp = n - prev;
      prev = n;
      return amp * 0.5 * hp * Math.exp(-t / (open ? 0.12 : 0.02));
    });
  }

  /** Ride cymbal: noise with metallic partials and a long tail. */
  ride(start: number, amp: number): void {
    this.#hit(
      start,
      0.5,
      (t) =>
        amp *
        Math.exp(-t / 0.25) *
        (0.3 * (this.rng.next() * 2 - 1) + 0.3 * Math.sin(2 * Math.PI * 3150 * t) * Math.sin(2 * Math.PI * 4270 * t)),
    );
  }

  /** Crash cymbal: a long bright noise wash. */
  crash(start: number, amp: number): void {
    let prev = 0;
    this.#hit(start, 1.2, (t) => {
      const n = this.rng.next() * 2 - 1;
      const hp = n - prev;
      prev = n;
      return amp * 0.6 * hp * Math.exp(-t / 0.5);
    });
  }

  #hit(start: number, length: number, f: (t: number) => number): void {
    const i0 = Math.max(0, Math.round(start * this.rate));
    const i1 = Math.min(this.buf.length, i0 + Math.round(length * this.rate));
    for (let i = i0; i < i1; i++) this.buf[i]! += f((i - i0) / this.rate);
  }

  /** Background noise; `crackle` adds sparse clicks (vinyl). */
  noise(level: number, crackle = 0): void {
    for (let i = 0; i < this.buf.length; i++) {
      this.buf[i]! += level * (this.rng.next() * 2 - 1);
      if (crackle && this.rng.next() < crackle) this.buf[i]! += (this.rng.next() - 0.5) * 0.3;
    }
  }

  /** Soft clipping by tanh(drive·x)/tanh(drive): distortion. */
  drive(drive: number): void {
    if (drive <= 0) return;
    const k = Math.tanh(drive);
    for (let i = 0; i < this.buf.length; i++) this.buf[i] = Math.tanh(drive * this.buf[i]!) / k;
  }

  /** One-pole low-pass: a darker or brighter recording. */
  lowpass(cutoffHz: number): void {
    const a = Math.exp((-2 * Math.PI * cutoffHz) / this.rate);
    let y = 0;
    for (let i = 0; i < this.buf.length; i++) this.buf[i] = y = (1 - a) * this.buf[i]! + a * y;
  }

  /** Slow loudness swells: gain 1 - depth·(1 + sin)/2. */
  swell(hz: number, depth: number, phase: number): void {
    for (let i = 0; i < this.buf.length; i++) {
      this.buf[i]! *= 1 - (depth * (1 + Math.sin(2 * Math.PI * hz * (i / this.rate) + phase))) / 2;
    }
  }

  /** Scales to the given peak level. */
  normalize(peak: number): void {
    let m = 0;
    for (const v of this.buf) m = Math.max(m, Math.abs(v));
    if (m > 0) for (let i = 0; i < this.buf.length; i++) this.buf[i]! *= peak / m;
  }
}
