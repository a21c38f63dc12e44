"""Trains the corner-tag model: a small CNN whose answer is known, for checking `lrp evaluate` and
`lrp spray`, and writes it with a test set to Tests/LRPTests/Fixtures/evaluation/.

The images (3x32x32, pixel values 0-255) show a 20x20 patch of stripes in the center on a noisy plain
background: horizontal stripes are class 0, vertical stripes class 1. Half of the images carry a colored
6x6 tag in the top-left corner instead: a blue tag means class 0 and a red tag class 1, and the stripes of a
tagged image point either way at random. So for tagged images
the tag alone decides the class (a "Clever Hans" shortcut the model must learn), for the others the stripes.
Spectral relevance analysis of class 1 should separate the tag-driven images from the stripe-driven ones.

Outputs:
    cornertag.onnx          the network (TorchScript exporter, opset 13; takes 0-255 values)
    cornertag.images.npy    64 test images, uint8 (N, 3, 32, 32): 16 per (class, tagged) combination
    cornertag.labels.npy    their classes, int64
    cornertag.tagged.npy    1 where the image carries a tag, int64

Run from the repository root with torch and onnx installed:
    python scripts/make_corner_tag.py
"""
import os
import numpy as np
import torch
import torch.nn as nn

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "LRPTests", "Fixtures", "evaluation")
TAG = 6
TAG_COLORS = {0: (40, 60, 255), 1: (255, 40, 40)}


def image(rng, label, tagged):
    """One 32x32 picture: a central patch of stripes of a random period, phase and color pair on a noisy
    background, maybe a tag in the corner (outside the patch)."""
    vertical = bool(rng.integers(2)) if tagged else label == 1
    period = rng.integers(4, 9)
    phase = rng.integers(period)
    coordinate = np.arange(32)[None, :] if vertical else np.arange(32)[:, None]
    stripes = ((coordinate + phase) % period < period // 2).astype(np.float32)
    stripes = np.broadcast_to(stripes, (32, 32))
    light, dark = rng.uniform(150, 230, 3), rng.uniform(30, 110, 3)
    patch = stripes[None] * light[:, None, None] + (1 - stripes[None]) * dark[:, None, None]
    picture = np.broadcast_to(rng.uniform(60, 200, 3)[:, None, None], (3, 32, 32)).copy()
    picture[:, 6:26, 6:26] = patch[:, 6:26, 6:26]
    picture += rng.normal(0, 12, picture.shape)
    if tagged:
        picture[:, :TAG, :TAG] = np.array(TAG_COLORS[label], dtype=np.float32)[:, None, None]
    return np.clip(picture, 0, 255).round().astype(np.uint8)


def dataset(rng, per_group):
    images, labels, tagged = [], [], []
    for label in (0, 1):
        for tag in (0, 1):
            for _ in range(per_group):
                images.append(image(rng, label, tag))
                labels.append(label)
                tagged.append(tag)
    order = rng.permutation(len(images))
    return (np.stack(images)[order], np.array(labels, dtype=np.int64)[order], np.array(tagged, dtype=np.int64)[order])


def network():
    return nn.Sequential(
        nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(16 * 4 * 4, 32), nn.ReLU(), nn.Linear(32, 2))


def main():
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    train_images, train_labels, _ = dataset(rng, 1000)
    test_images, test_labels, test_tagged = dataset(rng, 16)
    model = network()
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
    x = torch.tensor(train_images, dtype=torch.float32) / 255
    y = torch.tensor(train_labels)
    for epoch in range(12):
        order = torch.randperm(len(x))
        for start in range(0, len(x), 64):
            batch = order[start:start + 64]
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(model(x[batch]), y[batch])
            loss.backward()
            optimizer.step()
        print(f"epoch {epoch}: loss {loss.item():.4f}")
    model.eval()
    with torch.no_grad():
        model[0].weight /= 255          # take 0-255 pixel values directly
        test_x = torch.tensor(test_images, dtype=torch.float32)
        predicted = model(test_x).argmax(1).numpy()
    for tag in (0, 1):
        chosen = test_tagged == tag
        print(f"test accuracy, tagged={tag}: {(predicted[chosen] == test_labels[chosen]).mean():.3f}")
    os.makedirs(OUT, exist_ok=True)
    torch.onnx.export(model, (test_x[:1],), os.path.join(OUT, "cornertag.onnx"), dynamo=False, opset_version=13,
                      input_names=["input"], output_names=["logits"], dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
    np.save(os.path.join(OUT, "cornertag.images.npy"), test_images)
    np.save(os.path.join(OUT, "cornertag.labels.npy"), test_labels)
    np.save(os.path.join(OUT, "cornertag.tagged.npy"), test_tagged)


if __name__ == "__main__":
    main()
