"""Generates Tests/LRPTests/Fixtures/evaluation: a symmetric matrix like the ones spectral relevance
analysis decomposes (the normalised Laplacian of a symmetrised k-nearest-neighbour affinity of random points)
and numpy's eigh of it, as the oracle for SwiftLRP's LAPACKE wrapper.

Run from the repository root with numpy installed:
    python scripts/make_evaluation_fixtures.py
"""
import os
import numpy as np

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


if __name__ == "__main__":
    main()
