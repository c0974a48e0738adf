/** GTZAN's ten genres, in the fixed order used for labels everywhere. */
export const GENRES = [
  "blues",
  "classical",
  "country",
  "disco",
  "hiphop",
  "jazz",
  "metal",
  "pop",
  "reggae",
  "rock",
] as const;
export type Genre = (typeof GENRES)[number];

export function genreIndex(name: string): number {
  const i = (GENRES as readonly string[]).indexOf(name);
  if (i < 0) throw new Error(`unknown genre '${name}' (one of ${GENRES.join(", ")})`);
  return i;
}
