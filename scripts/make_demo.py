"""Builds the bundled demo: demo/cifar10_resnet20.onnx, demo/images/*.png with labels.csv, and the Keras CNN
demo/cifar10_cnn.onnx (the second model, kept for the tests and the docs).

The main model is the pretrained CIFAR-10 ResNet-20 of github.com/akamaster/pytorch_resnet_cifar10
(pretrained_models/resnet20-12fca82f.th, 91.78% test accuracy, BSD-2-Clause). Its architecture is written in
scripts/models.py (CifarResNet, from He et al. 2016; none of that repository's code is used), the
checkpoint's weights are loaded into it, and the input normalization the network was trained with
(trainer.py: ToTensor, i.e. pixels / 255, then Normalize with ImageNet's mean 0.485, 0.456, 0.406 and std
0.229, 0.224, 0.225) is put in front of it as a batch normalization layer with those constants, so that the
ONNX model takes raw RGB pixel values 0-255 like the Keras CNN. Exported with PyTorch's TorchScript exporter
(opset 17, dynamic batch, input "image", output "logits").

The images are the first 20 images of the CIFAR-10 test set as shipped in the foolbox 3.3.4 wheel on PyPI
(foolbox/data/cifar10_<index>_<label>.png, MIT licence); the demo keeps the first image of each class the 20
contain (8 of the 10: no bird, no deer), copied byte for byte as demo/images/<index>_<class>.png, and
demo/images/labels.csv lists "filename,label" with the true label's index.

The Keras CNN is the trained model shipped by the PyPI package cifar-10-model 7.4.0
(cifar_10_model/trained_models/cnn_model.h5, Keras 2.9): six 3x3 valid convolutions, each followed by ReLU
and then batch normalization, max pooling after the 2nd, 4th and 6th (the last 1x1), three dense layers (the
last with ReLU, as trained). Its weights are read with h5py, loaded into an equivalent PyTorch module
(HWIO kernels to OIHW) and exported with PyTorch's TorchScript exporter (opset 17, dynamic batch). It takes raw
RGB pixel values 0-255. photos() makes the four public-domain scikit-image photographs that were the old
demo's images (32x32 crops); the Keras CNN's fixtures (Tests/LRPTests/Fixtures/lrp/demo.*,
Tests/LRPTests/Fixtures/onnx/demo_images.logits.npy) are computed on them, and this script checks that the
latter still holds rather than rewriting it.

Run from the repository root with torch, h5py, onnx, onnxruntime, scikit-image, Pillow and cifar-10-model
(pip install --no-deps cifar-10-model; its pinned dependencies are only for training):
    git clone https://github.com/akamaster/pytorch_resnet_cifar10 /tmp/akamaster   # for the checkpoint only
    python scripts/make_demo.py --resnet20-checkpoint /tmp/akamaster/pretrained_models/resnet20-12fca82f.th
The foolbox wheel is fetched with `pip download foolbox==3.3.4 --no-deps` unless --foolbox-wheel names it.
"""
import argparse
import csv
import os
import subprocess
import sys
import tempfile
import zipfile
import h5py
import numpy as np
import onnxruntime as ort
import torch
import torch.nn as nn
from PIL import Image
from skimage import data

import cifar_10_model

sys.path.insert(0, os.path.dirname(__file__))
from models import CifarResNet, load_cifar_resnet_checkpoint  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), "..")
IMAGES = os.path.join(ROOT, "demo", "images")
FIXTURES = os.path.join(ROOT, "Tests", "LRPTests", "Fixtures", "onnx")
H5 = os.path.join(os.path.dirname(cifar_10_model.__file__), "trained_models", "cnn_model.h5")
CLASSES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
# akamaster/pytorch_resnet_cifar10 trainer.py: transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])
MEAN = (0.485, 0.456, 0.406)
STD = (0.229, 0.224, 0.225)

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
    """The old demo's four scikit-image photographs, 32x32 (the Keras CNN's fixtures use them)."""
    images = {}
    for name, (load, (left, top, right, bottom)) in PHOTOS.items():
        image = Image.fromarray(load())
        w, h = image.size
        image = image.crop((int(left * w), int(top * h), int(right * w), int(bottom * h)))
        images[name] = image.resize((32, 32), Image.LANCZOS)
    return images


def normalize(images):
    """Raw pixels 0-255, (N, 3, H, W), to what the ResNet-20 was trained on: / 255, minus mean, over std."""
    mean, std = np.array(MEAN, np.float32)[:, None, None], np.array(STD, np.float32)[:, None, None]
    # C-contiguous: a tensor made from a transposed (channels-last) array keeps its strides, and the dynamo
    # exporter then writes Flatten as an as_strided Gather over indices computed from the batch size
    return np.ascontiguousarray((np.asarray(images, np.float32) / 255 - mean) / std, dtype=np.float32)


def input_normalization():
    """(x / 255 - mean) / std as an eval-mode batch normalization: running mean 255 * mean, running variance
    (255 * std)^2 - eps, scale 1, shift 0. ONNX: one BatchNormalization node at the input."""
    norm = nn.BatchNorm2d(3)
    with torch.no_grad():
        norm.weight.fill_(1.0)
        norm.bias.zero_()
        norm.running_mean.copy_(torch.tensor(MEAN, dtype=torch.float64) * 255)
        norm.running_var.copy_((torch.tensor(STD, dtype=torch.float64) * 255) ** 2 - norm.eps)
    return norm.eval()


def resnet20(checkpoint):
    """The demo model: the input normalization, then the pretrained ResNet-20. Takes raw RGB 0-255."""
    return nn.Sequential(input_normalization(), load_cifar_resnet_checkpoint(CifarResNet(20), checkpoint)).eval()


def export(model, path):
    torch.onnx.export(model, (torch.rand(1, 3, 32, 32) * 255,), path, dynamo=False, opset_version=17,
                      input_names=["image"], output_names=["logits"],
                      dynamic_axes={"image": {0: "batch"}, "logits": {0: "batch"}})


def run(path, x):
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    return session.run(None, {"image": x})[0]


def foolbox_cifar10(wheel):
    """{index: (png bytes, label)} of the 20 CIFAR-10 test images in the foolbox 3.3.4 wheel."""
    if wheel is None:
        folder = tempfile.mkdtemp()
        subprocess.run([sys.executable, "-m", "pip", "download", "foolbox==3.3.4", "--no-deps", "-q", "-d", folder],
                       check=True)
        wheel = os.path.join(folder, "foolbox-3.3.4-py3-none-any.whl")
    result = {}
    with zipfile.ZipFile(wheel) as archive:
        for name in archive.namelist():
            base = os.path.basename(name)
            if name.startswith("foolbox/data/cifar10_") and base.endswith(".png"):
                _, index, label = base[:-4].split("_")
                result[int(index)] = (archive.read(name), int(label))
    assert sorted(result) == list(range(20)), sorted(result)
    return result


def decode(png):
    import io
    return np.ascontiguousarray(np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), np.float32).transpose(2, 0, 1))


def keras_demo(images):
    """Exports the Keras CNN to demo/cifar10_cnn.onnx (kept as it is when the committed file already computes the
    same logits) and checks Fixtures/onnx/demo_images.logits.npy, its logits on the four photographs."""
    model = load_weights(keras_cnn())
    path = os.path.join(ROOT, "demo", "cifar10_cnn.onnx")
    pictures = photos()
    x = np.stack([np.asarray(pictures[name], np.float32).transpose(2, 0, 1) for name in sorted(pictures)])
    with tempfile.TemporaryDirectory() as folder:
        fresh = os.path.join(folder, "cifar10_cnn.onnx")
        export(model, fresh)
        logits = run(fresh, x)
        with torch.no_grad():
            assert np.allclose(model(torch.tensor(x)).numpy(), logits, rtol=1e-4, atol=1e-3)
        if os.path.exists(path) and np.allclose(run(path, x), logits, rtol=1e-5, atol=1e-5) \
                and np.allclose(run(path, images), run(fresh, images), rtol=1e-5, atol=1e-5):
            print("demo/cifar10_cnn.onnx: the committed file computes the same logits, kept")
        else:
            os.replace(fresh, path)
            print("demo/cifar10_cnn.onnx written")
    reference = np.load(os.path.join(FIXTURES, "demo_images.logits.npy"))
    assert np.allclose(reference, run(path, x), rtol=1e-5, atol=1e-4), "demo_images.logits.npy no longer holds"
    for name, row in zip(sorted(pictures), run(path, x)):
        print(f"  Keras CNN, photo {name}: " + ", ".join(f"{CLASSES[k]} {row[k]:.2f}" for k in np.argsort(-row)[:3]))
    return run(path, images)


def main():
    parser = argparse.ArgumentParser(description="Builds the bundled demo.")
    parser.add_argument("--resnet20-checkpoint", default="/tmp/resnet20.th",
                        help="pretrained_models/resnet20-12fca82f.th of akamaster/pytorch_resnet_cifar10")
    parser.add_argument("--foolbox-wheel", help="foolbox-3.3.4-py3-none-any.whl (default: pip download it)")
    arguments = parser.parse_args()
    os.makedirs(IMAGES, exist_ok=True)

    samples = foolbox_cifar10(arguments.foolbox_wheel)
    all_images = np.stack([decode(samples[i][0]) for i in range(20)])
    labels = np.array([samples[i][1] for i in range(20)])

    # the ResNet-20, checked against PyTorch on all 20 images
    model = resnet20(arguments.resnet20_checkpoint)
    path = os.path.join(ROOT, "demo", "cifar10_resnet20.onnx")
    export(model, path)
    logits = run(path, all_images)
    with torch.no_grad():
        torch_logits = model(torch.tensor(all_images)).numpy()
        plain = model[1](torch.tensor(normalize(all_images))).numpy()
    scale = np.abs(torch_logits).max()
    print(f"ResNet-20: onnxruntime vs PyTorch max |diff| / max |logit| = {np.abs(logits - torch_logits).max() / scale:.2e}, "
          f"normalization layer vs normalizing the input = {np.abs(plain - torch_logits).max() / scale:.2e}")
    assert np.abs(logits - torch_logits).max() <= 1e-5 * scale
    predictions = logits.argmax(1)
    for i in range(20):
        mark = "" if predictions[i] == labels[i] else "   <- wrong"
        print(f"  cifar10_{i:02d}: true {CLASSES[labels[i]]:10s} predicted {CLASSES[predictions[i]]:10s}"
              f" ({logits[i, predictions[i]]:.2f}){mark}")
    print(f"ResNet-20 accuracy on the 20 test images: {(predictions == labels).sum()}/20")

    # one image per class: the first of each class among the 20
    for name in os.listdir(IMAGES):
        if name.endswith(".png") or name == "labels.csv":
            os.remove(os.path.join(IMAGES, name))
    chosen = {}
    for i in range(20):
        chosen.setdefault(labels[i], i)
    files = []
    for label, i in sorted(chosen.items(), key=lambda item: item[1]):
        name = f"{i:02d}_{CLASSES[label]}.png"
        with open(os.path.join(IMAGES, name), "wb") as f:
            f.write(samples[i][0])
        files.append((name, label, i))
    files.sort()
    with open(os.path.join(IMAGES, "labels.csv"), "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        for name, label, _ in files:
            writer.writerow([name, int(label)])
    print("demo/images:", ", ".join(name for name, _, _ in files),
          "- classes missing from the 20:", ", ".join(CLASSES[k] for k in range(10) if k not in chosen) or "none")
    demo = np.stack([all_images[i] for _, _, i in files])
    np.save(os.path.join(FIXTURES, "demo_resnet20_images.logits.npy"), run(path, demo).astype(np.float32))

    # the Keras CNN, kept as the second model
    keras_logits = keras_demo(demo)
    for (name, label, _), row in zip(files, keras_logits):
        print(f"  Keras CNN, {name}: predicted {CLASSES[row.argmax()]}")
    print(f"Keras CNN accuracy on the 20 test images: {(keras_demo_all(all_images) == labels).sum()}/20")


def keras_demo_all(images):
    return run(os.path.join(ROOT, "demo", "cifar10_cnn.onnx"), images).argmax(1)


if __name__ == "__main__":
    main()
