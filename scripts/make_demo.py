"""Builds the bundled demo: demo/cifar10_cnn.onnx and demo/images/*.png.

The model is the trained Keras CIFAR-10 CNN shipped by the PyPI package cifar-10-model 7.4.0
(cifar_10_model/trained_models/cnn_model.h5, Keras 2.9): six 3x3 valid convolutions, each followed by ReLU
and then batch normalisation, max pooling after the 2nd, 4th and 6th (the last 1x1), three dense layers (the
last with ReLU, as trained). Its weights are read with h5py, loaded into an equivalent PyTorch module
(HWIO kernels to OIHW) and exported with PyTorch's TorchScript exporter (opset 17, dynamic batch). The model
takes raw RGB pixel values 0-255.

The photographs are public-domain images bundled with scikit-image (skimage.data), cropped to a square
around the subject and resized to 32x32.

Run from the repository root with torch, h5py, onnx, onnxruntime, scikit-image, Pillow and cifar-10-model
(pip install --no-deps cifar-10-model; its pinned dependencies are only for training):
    python scripts/make_demo.py
"""
import os
import h5py
import numpy as np
import onnxruntime as ort
import torch
import torch.nn as nn
from PIL import Image
from skimage import data

import cifar_10_model

ROOT = os.path.join(os.path.dirname(__file__), "..")
H5 = os.path.join(os.path.dirname(cifar_10_model.__file__), "trained_models", "cnn_model.h5")
CLASSES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]

# name: (skimage loader, crop box (left, top, right, bottom) as fractions of the image)
PHOTOS = {
    "cat": (data.chelsea, (130 / 451, 10 / 300, 370 / 451, 250 / 300)),   # a 240-pixel square around the head
    "rocket": (data.rocket, (0.25, 0.0, 0.85, 1.0)),
    "astronaut": (data.astronaut, (0.1, 0.0, 0.9, 0.8)),
    "coffee": (data.coffee, (0.1, 0.0, 0.9, 1.0)),
}


def keras_cnn():
    layers = []
    widths = [(3, 64), (64, 64), (64, 128), (128, 128), (128, 64), (64, 64)]
    for index, (cin, cout) in enumerate(widths):
        layers += [nn.Conv2d(cin, cout, 3), nn.ReLU(), nn.BatchNorm2d(cout, eps=1e-3)]
        if index in (1, 3):
            layers.append(nn.MaxPool2d(2, 2))
    layers += [nn.MaxPool2d(1, 1), nn.Flatten(),
               nn.Linear(64, 1024), nn.ReLU(), nn.Dropout(0.2),
               nn.Linear(1024, 512), nn.ReLU(), nn.Dropout(0.2),
               nn.Linear(512, 10), nn.ReLU()]
    return nn.Sequential(*layers)


def load_weights(model):
    weights = h5py.File(H5, "r")["model_weights"]
    convs = [m for m in model if isinstance(m, nn.Conv2d)]
    norms = [m for m in model if isinstance(m, nn.BatchNorm2d)]
    denses = [m for m in model if isinstance(m, nn.Linear)]
    def get(layer, name):
        return torch.tensor(np.array(weights[layer][layer][name + ":0"]))
    with torch.no_grad():
        for index, conv in enumerate(convs):
            name = "conv2d" if index == 0 else f"conv2d_{index}"
            conv.weight.copy_(get(name, "kernel").permute(3, 2, 0, 1))
            conv.bias.copy_(get(name, "bias"))
        for index, norm in enumerate(norms):
            name = "batch_normalization" if index == 0 else f"batch_normalization_{index}"
            norm.weight.copy_(get(name, "gamma"))
            norm.bias.copy_(get(name, "beta"))
            norm.running_mean.copy_(get(name, "moving_mean"))
            norm.running_var.copy_(get(name, "moving_variance"))
        for index, dense in enumerate(denses):
            name = "dense" if index == 0 else f"dense_{index}"
            dense.weight.copy_(get(name, "kernel").T)
            dense.bias.copy_(get(name, "bias"))
    return model.eval()


def photos():
    images = {}
    for name, (load, (left, top, right, bottom)) in PHOTOS.items():
        image = Image.fromarray(load())
        w, h = image.size
        image = image.crop((int(left * w), int(top * h), int(right * w), int(bottom * h)))
        images[name] = image.resize((32, 32), Image.LANCZOS)
    return images


def main():
    model = load_weights(keras_cnn())
    path = os.path.join(ROOT, "demo", "cifar10_cnn.onnx")
    os.makedirs(os.path.join(ROOT, "demo", "images"), exist_ok=True)
    torch.onnx.export(model, (torch.rand(1, 3, 32, 32) * 255,), path, dynamo=False, opset_version=17,
                      input_names=["image"], output_names=["logits"],
                      dynamic_axes={"image": {0: "batch"}, "logits": {0: "batch"}})
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    all_logits = {}
    for name, image in photos().items():
        image.save(os.path.join(ROOT, "demo", "images", f"{name}.png"))
        x = np.asarray(image, dtype=np.float32).transpose(2, 0, 1)[None]
        logits = session.run(None, {"image": x})[0][0]
        with torch.no_grad():
            assert np.allclose(model(torch.tensor(x)).numpy()[0], logits, rtol=1e-4, atol=1e-3)
        all_logits[name] = logits
        top = np.argsort(-logits)[:3]
        print(f"{name}: " + ", ".join(f"{CLASSES[k]} {logits[k]:.2f}" for k in top))
    # onnxruntime's logits for the images in file-name order, as `lrp` loads a folder
    reference = np.stack([all_logits[name] for name in sorted(all_logits)]).astype(np.float32)
    np.save(os.path.join(ROOT, "Tests", "LRPTests", "Fixtures", "onnx", "demo_images.logits.npy"), reference)


if __name__ == "__main__":
    main()
