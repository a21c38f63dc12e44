"""Generates the file-format fixtures under Tests/LRPTests/Fixtures/io with independent writers.

- PNG files written by Pillow in each color type (L, LA, RGB, RGBA, P), with the decoded pixels saved as
  NAME.pixels.npy (uint8, H x W x channels; palette images expanded to RGB) for comparison.
- .npy files written by numpy: every supported dtype, both byte orders, format versions 1.0, 2.0 and 3.0,
  all holding arange(24).reshape(2, 3, 4) cast to the dtype; and one Fortran-ordered file.

Run from the repository root with numpy and Pillow installed:
    python scripts/make_io_fixtures.py
"""
import os
import numpy as np
from PIL import Image

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "LRPTests", "Fixtures", "io")


def png_fixtures():
    rng = np.random.default_rng(1)
    h, w = 21, 33
    # gradients plus noise, so that Pillow's encoder picks several scanline filters
    base = (np.add.outer(np.arange(h) * 9, np.arange(w) * 5) % 256).astype(np.uint8)
    noisy = lambda: (base + rng.integers(0, 40, (h, w))).astype(np.uint8)
    images = {
        "gray": Image.fromarray(noisy(), "L"),
        "gray_alpha": Image.fromarray(np.stack([noisy(), noisy()], -1), "LA"),
        "rgb": Image.fromarray(np.stack([noisy(), base, 255 - base], -1), "RGB"),
        "rgba": Image.fromarray(np.stack([noisy(), base, 255 - base, noisy()], -1), "RGBA"),
        "palette": Image.fromarray(np.stack([noisy(), base, 255 - base], -1), "RGB").quantize(16),
    }
    for name, image in images.items():
        path = os.path.join(OUT, f"pillow_{name}.png")
        image.save(path)
        decoded = Image.open(path)
        pixels = np.asarray(decoded.convert("RGB") if name == "palette" else decoded)
        if pixels.ndim == 2:
            pixels = pixels[:, :, None]
        np.save(os.path.join(OUT, f"pillow_{name}.pixels.npy"), pixels.astype(np.uint8))


def npy_fixtures():
    values = np.arange(24).reshape(2, 3, 4)
    for dtype in ["<f4", ">f4", "<f8", ">f8", "|u1", "<i4", ">i8"]:
        name = "npy_" + dtype.replace("<", "le_").replace(">", "be_").replace("|", "")
        np.save(os.path.join(OUT, name + ".npy"), values.astype(dtype))
    for version in [(2, 0), (3, 0)]:
        with open(os.path.join(OUT, f"npy_version{version[0]}.npy"), "wb") as f:
            np.lib.format.write_array(f, values.astype("<f4"), version=version)
    np.save(os.path.join(OUT, "npy_fortran.npy"), np.asfortranarray(values.astype("<f4")))


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    png_fixtures()
    npy_fixtures()
    print("wrote", sorted(os.listdir(OUT)))
