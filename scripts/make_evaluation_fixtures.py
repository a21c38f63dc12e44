"""Generates the oracles under Tests/LRPTests/Fixtures/evaluation, computed independently of SwiftLRP:

- laplacian*.npy: a symmetric matrix like the ones spectral relevance analysis decomposes (the normalized
  Laplacian of a symmetrized k-nearest-neighbor affinity of random points) and numpy's eigh of it;
- perturbation.*.npy: for 4 corner-tag images and a fixed relevance, the region-perturbation curves (4x4
  patches, most relevant first, replaced by 0 and by a scipy Gaussian blur of sigma 1.5, edges "nearest")
  scored by onnxruntime, the blurred images, and scipy's Spearman correlation, Gini index and entropy of the
  channel-summed relevance;
- spray.*.npy: 24 relevance maps of two kinds and numpy's SpRAy of them (channel sum, 2x2 sum pooling,
  max-|R| normalization, 5-nearest-neighbor graph, normalized Laplacian, eigh).

Run from the repository root with numpy, scipy and onnxruntime installed (after make_corner_tag.py):
    python scripts/make_evaluation_fixtures.py
"""
import os
import numpy as np
import onnxruntime as ort
from scipy import ndimage, stats

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "LRPTests", "Fixtures", "evaluation")


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(7)
    points = np.concatenate([rng.normal(0, 1, (8, 5)), rng.normal(4, 1, (8, 5))])
    distances = ((points[:, None] - points[None]) ** 2).sum(-1)
    k = 4
    affinity = np.zeros_like(distances)
    for i, row in enumerate(distances):
        for j in np.argsort(row)[1:k + 1]:
            affinity[i, j] = 1.0
    affinity = np.maximum(affinity, affinity.T)
    degree = affinity.sum(1)
    laplacian = np.eye(len(points)) - affinity / np.sqrt(np.outer(degree, degree))
    laplacian += np.diag(np.arange(len(points)) * 1e-3)   # keep the eigenvalues distinct
    values, vectors = np.linalg.eigh(laplacian)
    np.save(os.path.join(OUT, "laplacian.npy"), laplacian.astype(np.float32))
    np.save(os.path.join(OUT, "laplacian.eigenvalues.npy"), values.astype(np.float32))
    np.save(os.path.join(OUT, "laplacian.eigenvectors.npy"), vectors.astype(np.float32))
    print("eigenvalues", np.round(values, 4))
    perturbation()
    spray()


def perturbation():
    images = np.load(os.path.join(OUT, "cornertag.images.npy"))[:4].astype(np.float32)
    session = ort.InferenceSession(os.path.join(OUT, "cornertag.onnx"))
    score = lambda x: session.run(None, {"input": x.astype(np.float32)})[0]
    targets = score(images).argmax(1)
    rng = np.random.default_rng(3)
    relevance = rng.normal(0, 1, images.shape).astype(np.float32)
    patch, steps = 4, 12
    blurred = ndimage.gaussian_filter(images, sigma=(0, 0, 1.5, 1.5), mode="nearest", truncate=3.0)
    columns = 32 // patch
    for name, replacement in [("constant", np.zeros_like(images)), ("blur", blurred)]:
        x = images.copy()
        curves = [score(x)[np.arange(4), targets]]
        sums = relevance.sum(1).reshape(4, columns, patch, columns, patch).sum((2, 4)).reshape(4, -1)
        order = np.argsort(-sums, axis=1, kind="stable")
        for step in range(steps):
            for sample in range(4):
                row, column = divmod(order[sample, step], columns)
                window = (sample, slice(None), slice(row * patch, (row + 1) * patch), slice(column * patch, (column + 1) * patch))
                x[window] = replacement[window]
            curves.append(score(x)[np.arange(4), targets])
        np.save(os.path.join(OUT, f"perturbation.curves.{name}.npy"), np.stack(curves, 1).astype(np.float32))
    maps = relevance.sum(1).reshape(4, -1)
    other = maps[::-1] + rng.normal(0, 1, maps.shape)
    spearman = [stats.spearmanr(a, b).statistic for a, b in zip(maps, other)]
    def gini(values):
        v = np.sort(np.abs(values))
        n = len(v)
        return (2 * np.sum(np.arange(1, n + 1) * v)) / (n * v.sum()) - (n + 1) / n
    def entropy(values):
        p = np.abs(values) / np.abs(values).sum()
        return -np.sum(p[p > 0] * np.log(p[p > 0]))
    np.save(os.path.join(OUT, "perturbation.relevance.npy"), relevance)
    np.save(os.path.join(OUT, "perturbation.targets.npy"), targets.astype(np.int64))
    np.save(os.path.join(OUT, "perturbation.blurred.npy"), blurred.astype(np.float32))
    np.save(os.path.join(OUT, "perturbation.other.npy"), other.astype(np.float32))
    np.save(os.path.join(OUT, "perturbation.measures.npy"),
            np.array([spearman, [gini(m) for m in maps], [entropy(m) for m in maps]], dtype=np.float64))


def spray():
    rng = np.random.default_rng(5)
    maps = rng.uniform(0, 0.3, (24, 2, 16, 16))
    maps[:14, :, :4, :4] += 1          # 14 maps look at the corner
    maps[14:, :, 6:10, 6:10] += 1      # 10 at the center
    maps = maps.astype(np.float32)
    pooled = maps.sum(1).reshape(24, 8, 2, 8, 2).sum((2, 4)).reshape(24, -1)
    pooled /= np.abs(pooled).max(1, keepdims=True)
    distances = ((pooled[:, None] - pooled[None]) ** 2).sum(-1)
    affinity = np.zeros_like(distances)
    for i, row in enumerate(distances):
        others = [j for j in np.argsort(row, kind="stable") if j != i]
        affinity[i, others[:5]] = 1
    affinity = np.maximum(affinity, affinity.T)
    degree = affinity.sum(1)
    laplacian = np.eye(24) - affinity / np.sqrt(np.outer(degree, degree))
    np.save(os.path.join(OUT, "spray.relevance.npy"), maps)
    np.save(os.path.join(OUT, "spray.eigenvalues.npy"), np.linalg.eigvalsh(laplacian).astype(np.float32))


if __name__ == "__main__":
    main()
