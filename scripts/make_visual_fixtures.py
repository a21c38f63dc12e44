"""Generates the picture fixtures under Tests/LRPTests/Fixtures/visual.

- palettes.npy: Zennit 1.0's 256-entry palettes (uint8, maps x 256 x 3) of the color maps in
  palettes.txt, one name per line.
- heatmap_indices.npy: the palette index of every pixel that Zennit's imgify(..., symmetric=True) gives the
  channel-summed relevance of Fixtures/lrp/vgg.gamma.npy (uint8, N x H x W), computed with Zennit's
  interval_norm_bounds and imgify's expression (imgify itself fails to attach the palette with current
  Pillow versions, after the indices are computed).
- swiftlrp_*.png: PNG files written by SwiftLRP's encoder (by `lrp explain --heatmaps`, which must be built:
  `swift build`), and swiftlrp_*.pixels.npy, the pixels Pillow decodes from them.

Run from the repository root with numpy, Pillow and zennit 1.0 installed, after `swift build`:
    python scripts/make_visual_fixtures.py
"""
import glob
import os
import shutil
import subprocess
import tempfile
import numpy as np
from PIL import Image
from zennit.image import interval_norm_bounds, palette

ROOT = os.path.join(os.path.dirname(__file__), "..")
OUT = os.path.join(ROOT, "Tests", "LRPTests", "Fixtures", "visual")
NAMES = ["gray", "wred", "wblue", "hot", "cold", "coldnhot", "bwr", "france", "seismic", "coolio", "coleus"]


def main():
    os.makedirs(OUT, exist_ok=True)
    np.save(os.path.join(OUT, "palettes.npy"), np.stack([palette(name) for name in NAMES]).astype(np.uint8))
    with open(os.path.join(OUT, "palettes.txt"), "w") as f:
        f.write("\n".join(NAMES) + "\n")

    relevance = np.load(os.path.join(ROOT, "Tests", "LRPTests", "Fixtures", "lrp", "vgg.gamma.npy")).sum(1)
    indices = []
    for r in relevance:   # imgify's renormalization for a single 2-D array
        vmin, vmax = interval_norm_bounds(r, symmetric=True, dim=tuple(range(r.ndim)))
        indices.append(((r - vmin) / (vmax - vmin) * 255).clip(0, 255).astype(np.uint8))
    indices = np.stack(indices)
    np.save(os.path.join(OUT, "heatmap_indices.npy"), indices.astype(np.uint8))

    lrp = os.path.join(ROOT, ".build", "debug", "lrp")
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([lrp, "explain", "--model", os.path.join(ROOT, "demo", "cifar10_cnn.onnx"),
                        "--input", os.path.join(ROOT, "demo", "images", "cat.png"), "--rule", "gamma:0.25",
                        "--heatmaps", folder, "--zoom", "2", "--colormap", "coldnhot", "--quiet"], check=True)
        subprocess.run([lrp, "explain", "--model", os.path.join(ROOT, "demo", "cifar10_cnn.onnx"),
                        "--input", os.path.join(ROOT, "demo", "images", "rocket.png"), "--rule", "epsilon:0.25",
                        "--heatmaps", folder, "--zoom", "1", "--overlay", "0.6", "--quiet"], check=True)
        for index, path in enumerate(sorted(glob.glob(os.path.join(folder, "*.png")))):
            target = os.path.join(OUT, f"swiftlrp_{index}.png")
            shutil.copy(path, target)
            np.save(os.path.join(OUT, f"swiftlrp_{index}.pixels.npy"), np.asarray(Image.open(target)).astype(np.uint8))
    print("wrote", sorted(os.listdir(OUT)))


if __name__ == "__main__":
    main()
