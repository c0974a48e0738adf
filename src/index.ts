// genrelab's library API: the same functions the CLI and the dashboard use.
export * as torch from "./torch/index.js";
export * as audio from "./audio/index.js";
export * as data from "./data/index.js";
export { Generator, studyGenerator, type GeneratorConfig } from "./models/generator.js";
export { Classifier, studyClassifier, type ClassifierConfig } from "./models/classifier.js";
export { generate, type GenerateOptions } from "./models/generate.js";
export { loadClassifier, loadGenerator, type ClassifierInfo, type GeneratorInfo } from "./models/load.js";
export { trainClassifier, type ClassifierMeta } from "./train/classifier.js";
export { trainGenerator, type GeneratorMeta } from "./train/generator.js";
export { parseClassifierConfig } from "./train/classifier-config.js";
export { parseGeneratorConfig } from "./train/generator-config.js";
export { report, type ClassificationReport } from "./eval/metrics.js";
export { frechetDistance } from "./eval/frechet.js";
export { runPipeline, type RunOptions } from "./pipeline/run.js";
export { parseRunConfig, type RunConfig } from "./pipeline/config.js";
export { evaluateSongs, evaluateGenerated } from "./eval/evaluate.js";
export { buildReport } from "./report/build.js";
