// Data: discovery (GTZAN, labelled folders), decoding through a cache, track-level splits, batches for both networks,
// and the synthetic demo data set.
export { GENRES, genreIndex, type Genre } from "./genres.js";
export { discoverGtzan, findGenresRoot, looksLikeGtzan } from "./gtzan.js";
export { discoverFolders } from "./folders.js";
export { discover } from "./discover.js";
export { findFma, discoverFma, type FmaLayout } from "./fma.js";
export { DatasetError, fileStem, labelIndex, type Track, type Discovered, type DataKind, type Side } from "./track.js";
export { AudioCache } from "./cache.js";
export {
  loadDataset,
  relabel,
  defaultCacheDir,
  type Dataset,
  type Song,
  type SkippedFile,
  type LoadOptions,
} from "./dataset.js";
export {
  seedSplit,
  faultFilteredSplit,
  kFoldSplit,
  assertDisjoint,
  defaultSeedSplit,
  SPLIT_NAMES,
  parseSplit,
  foldOf,
  type Split,
  type SplitName,
  type SeedSplitOptions,
} from "./splits.js";
export {
  jitteredBatch,
  randomCrops,
  songBatch,
  studyClips,
  type ClipLayout,
  type SongBatch,
} from "./generator-batches.js";
export {
  ClassifierExamples,
  UNLABELLED,
  labelOf,
  windowOffsets,
  noAugmentation,
  type Augmentation,
  type ExampleAudio,
  type WindowOptions,
  type ExampleBatch,
} from "./classifier-examples.js";
export { writeDemoDataset, demoSong, demoSongTempo, defaultDemoOptions, type DemoOptions } from "./demo/index.js";
export { Random, mixSeed } from "./random.js";
export { StoredSong, songLength, readPart, readWindow } from "./stored-song.js";
export { MelStore } from "./mel-store.js";
export { pickSeeds, type Seed } from "./seeds.js";
export { loadSplitSongs, makeSplit, duplicatesAcross, type SplitSongs, type SongWithId } from "./split-songs.js";
