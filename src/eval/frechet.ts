// Fréchet distance between two sets of embeddings (as FID/FAD):
//   |mu1 - mu2|^2 + tr(C1) + tr(C2) - 2 tr((C1 C2)^(1/2)).
// With few clips and many dimensions the covariances are low-rank, so the last trace is computed in
// sample space: tr((C1 C2)^(1/2)) is the sum of singular values of A Bᵀ, where C1 = AᵀA, C2 = BᵀB.
import { noGrad, tidy, type Tensor } from "../torch/index.js";

/** Eigenvalues of a symmetric matrix (row-major n×n) by cyclic Jacobi rotations. */
export function symmetricEigenvalues(m: Float64Array, n: number): number[] {
  const a = Float64Array.from(m);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q]! ** 2;
    if (off < 1e-22 * (1 + a.reduce((s, v) => s + v * v, 0))) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * n + q]! - a[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!;
          const akq = a[k * n + q]!;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!;
          const aqk = a[q * n + k]!;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
      }
    }
  }
  return Array.from({ length: n }, (_, i) => a[i * n + i]!);
}

/** Fréchet distance between embeddings x [n1, d] and y [n2, d] (each set needs ≥ 2 rows). */
export function frechetDistance(x: Tensor, y: Tensor): number {
  if (x.size(0) < 2 || y.size(0) < 2) throw new Error("frechetDistance: each set needs at least 2 embeddings");
  return noGrad(() =>
    tidy(() => {
      const xd = x.to("float64");
      const yd = y.to("float64");
      const mx = xd.mean(0, true);
      const my = yd.mean(0, true);
      const a = xd.sub(mx).div(Math.sqrt(x.size(0) - 1));
      const b = yd.sub(my).div(Math.sqrt(y.size(0) - 1));
      const m = a.matmul(b.transpose(0, 1)); // [n1, n2]
      const mmt = m.matmul(m.transpose(0, 1));
      const n = mmt.size(0);
      const eig = symmetricEigenvalues(mmt.toTypedArray() as Float64Array, n);
      const nuclear = eig.reduce((s, v) => s + Math.sqrt(Math.max(0, v)), 0);
      const meanTerm = mx.sub(my).square().sum().item();
      return meanTerm + a.square().sum().item() + b.square().sum().item() - 2 * nuclear;
    }),
  );
}
