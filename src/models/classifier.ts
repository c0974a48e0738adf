// The study's genre classifier: 5 × [Conv 3×3 → BatchNorm → ReLU → MaxPool 2] → Dropout → Linear.
import { F, nn, type Tensor } from "../torch/index.js";

export interface ClassifierConfig {
  /** Mel spectrogram size fed to the network: [melBins, frames]. */
  inputShape: readonly [number, number];
  channels: readonly number[];
  numClasses: number;
  dropout: number;
  /** "flatten" (the study) or "avg" (global average pooling: any input length). */
  head: "flatten" | "avg";
}

/** The study's network on 128×128 inputs: 434,282 parameters. */
export const studyClassifier: ClassifierConfig = {
  inputShape: [128, 128],
  channels: [16, 32, 64, 128, 256],
  numClasses: 10,
  dropout: 0.5,
  head: "flatten",
};

class ConvBlock extends nn.Layer {
  readonly conv: nn.Conv2d;
  readonly bn: nn.BatchNorm2d;
  constructor(inC: number, outC: number) {
    super();
    this.conv = this.registerModule("conv", new nn.Conv2d(inC, outC, 3, { padding: 1 }));
    this.bn = this.registerModule("bn", new nn.BatchNorm2d(outC));
  }
  // Pooling before ReLU gives the same values and gradients (ReLU is monotone), on 4x fewer elements.
  forward(x: Tensor): Tensor {
    return F.maxPool2d(this.bn.forward(this.conv.forward(x)), 2).relu();
  }
}

export class Classifier extends nn.Module {
  readonly blocks: nn.Sequential;
  readonly dropout: nn.Dropout;
  readonly fc: nn.Linear;

  constructor(readonly config: ClassifierConfig = studyClassifier) {
    super();
    const c = config;
    const shrink = 2 ** c.channels.length;
    const [h, w] = [Math.floor(c.inputShape[0] / shrink), Math.floor(c.inputShape[1] / shrink)];
    if (c.head === "flatten" && (h < 1 || w < 1)) {
      throw new Error(
        `classifier: input ${c.inputShape.join("×")} is too small for ${c.channels.length} pooling layers (needs ≥ ` +
          `${shrink} per side)`,
      );
    }
    const last = c.channels[c.channels.length - 1]!;
    this.blocks = this.registerModule(
      "blocks",
      new nn.Sequential(...c.channels.map((ch, i) => new ConvBlock(i ? c.channels[i - 1]! : 1, ch))),
    );
    this.dropout = this.registerModule("dropout", new nn.Dropout(c.dropout));
    this.fc = this.registerModule("fc", new nn.Linear(c.head === "flatten" ? last * h * w : last, c.numClasses));
    // NHWC weights make libtorch run the conv stack in oneDNN's channels-last kernels (batch norm in
    // training: genrelab's own, see F.batchNorm): equal results, faster (docs/ARCHITECTURE.md).
    this.toMemoryFormat("channelsLast");
  }

  /** x: [batch, 1, melBins, frames] → logits [batch, numClasses] (no softmax: the loss applies it). */
  forward(x: Tensor): Tensor {
    const [melBins, frames] = this.config.inputShape;
    if (
      x.ndim !== 4 ||
      x.shape[1] !== 1 ||
      (this.config.head === "flatten" && (x.shape[2] !== melBins || x.shape[3] !== frames))
    ) {
      throw new Error(`classifier: expected input [batch, 1, ${melBins}, ${frames}], got [${x.shape}]`);
    }
    return this.fc.forward(this.dropout.forward(this.embed(x)));
  }

  /** The features before the final layer: the embedding used for Fréchet distances. */
  embed(x: Tensor): Tensor {
    const feats = this.blocks.forward(x);
    return this.config.head === "flatten" ? feats.flatten(1) : feats.mean([2, 3]);
  }
}
