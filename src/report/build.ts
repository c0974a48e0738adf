// The HTML report of a run: reads only the run folder (config, metrics, evaluations, generated audio)
// and writes report/index.html, its figures and summary.json. Opens from disk; no server needed.
import { basename, join } from "node:path";
import type { GeneratedEvaluation, SongEvaluation } from "../eval/evaluate.js";
import type { GeneratedClip } from "../pipeline/clips.js";
import type { RunPaths } from "../pipeline/paths.js";
import { writeFileAtomic, writeJsonAtomic } from "../util/fs.js";
import { readJsonFile, readJsonLines } from "../util/json.js";
import { clipSections, realClipSection } from "./clip-sections.js";
import { reportContext, type Row } from "./context.js";
import { headline } from "./headline.js";
import type { ReportModel, Section } from "./html.js";
import { renderHtml } from "./html.js";
import { confusionSection, continuationSection, fidelitySection } from "./judged-sections.js";
import { settingsRows } from "./settings.js";
import { trainingSection } from "./training-section.js";

export async function buildReport(p: RunPaths, timings: Record<string, number>): Promise<string> {
  const c = reportContext(p);
  const config = readJsonFile<Record<string, unknown>>(p.config) ?? {};
  const data = readJsonFile<Record<string, unknown>>(p.eval("data"));
  const evalTrain = readJsonFile<SongEvaluation>(p.eval("classifier-train"));
  const evalTest = readJsonFile<SongEvaluation>(p.eval("classifier-test"));
  const evalGen = readJsonFile<GeneratedEvaluation>(p.eval("generated"));
  const clips = readJsonFile<GeneratedClip[]>(p.clipIndex) ?? [];
  const cls = readJsonLines<Row>(p.metrics("classifier"));
  const generator = config.generator as Record<string, unknown> | undefined;

  const real = await realClipSection(c);
  const training = await trainingSection(c, cls);
  const sections: (Section | null)[] = [
    real,
    training.section,
    await confusionSection(c, evalTrain, evalTest, evalGen),
    evalGen && (await fidelitySection(c, evalGen)),
    evalGen && (await continuationSection(c, evalGen, generator)),
    ...(await clipSections(c, clips, evalGen)),
    settingsSection(config),
  ];
  const model: ReportModel = {
    title: basename(p.root),
    config,
    data,
    timings,
    headline: headline(evalTest, evalGen, generator),
    sections: sections.filter((s) => s !== null),
  };
  const summary = {
    run: p.root,
    data,
    timings,
    classifier: {
      train: evalTrain && pick(evalTrain),
      test: evalTest && pick(evalTest),
      epochs: cls.length,
      bestEpoch: bestEpoch(cls),
    },
    headline: model.headline,
    generated: evalGen && {
      recipe: generator?.preset ?? null,
      accuracy: evalGen.report.accuracy,
      count: evalGen.report.count,
      realContinuationAccuracy: evalGen.realReport?.accuracy ?? null,
      perGenre: evalGen.perGenre,
      confusion: evalGen.report.confusion,
      continuation: evalGen.continuation,
    },
    generators: training.generatorsLast,
    clips: clips.map((clip) => clip.name),
  };
  writeJsonAtomic(join(p.report, "summary.json"), summary);
  const index = join(p.report, "index.html");
  writeFileAtomic(index, renderHtml(model));
  return index;
}

function settingsSection(config: Record<string, unknown>): Section {
  const rows = settingsRows(config);
  const differ = rows.filter((r) => r[2]).length;
  return {
    title: "Settings",
    table: { head: ["setting", "this run", "the study (where the generator differs)"], rows },
    note:
      `${differ} generator settings differ from the study's recipe (--preset study); the classifier's are listed ` +
      "as they were.",
  };
}

const pick = (e: SongEvaluation) => ({
  songAccuracy: e.song.accuracy,
  windowAccuracy: e.window.accuracy,
  songs: e.song.count,
  confusion: e.song.confusion,
  perGenre: e.song.perClass,
});

const bestEpoch = (rows: Row[]) =>
  rows.reduce<Row | null>((b, r) => (!b || Number(r.validSongAccuracy) > Number(b.validSongAccuracy) ? r : b), null)
    ?.epoch ?? null;
