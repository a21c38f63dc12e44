"""Generates the model-zoo import fixtures under Tests/LRPTests/Fixtures/zoo.

Reduced-width versions of the torchvision CNNs whose ONNX exports use operators beyond the plain
Conv/Gemm/ReLU/pooling set (Clip, HardSigmoid, HardSwish, Sigmoid, Mul, Concat, Slice, Split, channel
shuffles, LayerNormalization, Erf, MatMul, ...), each built from torchvision's own classes with a small
configuration, plus the pretrained CIFAR-10 ResNet-20 of akamaster/pytorch_resnet_cifar10 (option-A shortcut:
Slice + Pad) from both PyTorch exporters. The random networks are He-initialized from a fixed seed (so that
their logits are of order one), their batch-norm statistics and layer-norm parameters randomized, in eval
mode. For each: NAME.onnx, NAME.input.npy (float32 [2, 3, 32, 32]) and NAME.logits.npy (PyTorch's float32
logits; onnxruntime is checked to agree within 1e-5 of the largest logit). README.md lists them with their
ONNX operators.

TorchScript exports: opset 17, input "x" with a dynamic batch. The dynamo export: opset 18 (the lowest its
Pad converts to), dynamic batch. resnet20_torchscript.onnx is exported exactly as
Fixtures/lrp/resnet20.onnx (the same file).

Run from the repository root with torch, torchvision, onnx, onnxruntime and onnxscript installed, and the
ResNet-20 checkpoint pretrained_models/resnet20-12fca82f.th of akamaster/pytorch_resnet_cifar10:
    python scripts/make_zoo_fixtures.py --resnet20-checkpoint /tmp/resnet20.th
"""
import argparse
import os
import sys
import zlib
from collections import Counter
import numpy as np
import onnx
import onnxruntime as ort
import torch
import torch.nn as nn
import torchvision
from torchvision.models import convnext, efficientnet, mobilenetv3
from torchvision.ops.misc import Conv2dNormActivation

sys.path.insert(0, os.path.dirname(__file__))
from models import CifarResNet, he_initialize, load_cifar_resnet_checkpoint, randomize_batch_norm  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), "..")
OUT = os.path.join(ROOT, "Tests", "LRPTests", "Fixtures", "zoo")
IMAGES = os.path.join(ROOT, "demo", "images")


def mobilenet_v2():
    # width 0.25 and one or two blocks per stage; the 1280-channel last convolution narrowed to 128
    setting = [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 1, 2], [6, 64, 2, 2], [6, 160, 1, 2], [6, 320, 1, 1]]
    model = torchvision.models.MobileNetV2(num_classes=10, width_mult=0.25, inverted_residual_setting=setting)
    cin = model.features[-1][0].in_channels
    model.features[-1] = Conv2dNormActivation(cin, 128, kernel_size=1, activation_layer=nn.ReLU6)
    model.classifier[1] = nn.Linear(128, 10)
    return model


def mobilenet_v3_small():
    setting, _ = mobilenetv3._mobilenet_v3_conf("mobilenet_v3_small", width_mult=0.25)
    return torchvision.models.MobileNetV3(setting[:-2], 64, num_classes=10)   # without the last two blocks


def densenet():
    return torchvision.models.DenseNet(growth_rate=4, block_config=(2, 2), num_init_features=8, num_classes=10)


def shufflenet_v2():
    return torchvision.models.ShuffleNetV2([2, 2, 2], [8, 16, 32, 64, 128], num_classes=10)


def efficientnet_b0():
    setting, _ = efficientnet._efficientnet_conf("efficientnet_b0", width_mult=0.25, depth_mult=0.25)
    return torchvision.models.EfficientNet(setting[:6], dropout=0.2, num_classes=10, last_channel=64)


def convnext_tiny():
    setting = [convnext.CNBlockConfig(8, 16, 1), convnext.CNBlockConfig(16, None, 1)]
    return torchvision.models.ConvNeXt(setting, stochastic_depth_prob=0.0, layer_scale=0.5, num_classes=10)


CONFIGS = {
    "mobilenet_v2": (mobilenet_v2, "MobileNetV2(width_mult=0.25, inverted_residual_setting t,c,n,s = "
                     "1,16,1,1 / 6,24,2,2 / 6,32,1,2 / 6,64,2,2 / 6,160,1,2 / 6,320,1,1), last conv 1x1 to 128 "
                     "channels (ReLU6), Linear(128, 10)"),
    "mobilenet_v3_small": (mobilenet_v3_small, "MobileNetV3(_mobilenet_v3_conf(\"mobilenet_v3_small\", "
                           "width_mult=0.25) without its last 2 blocks, last_channel=64)"),
    "densenet": (densenet, "DenseNet(growth_rate=4, block_config=(2, 2), num_init_features=8)"),
    "shufflenet_v2": (shufflenet_v2, "ShuffleNetV2(stages_repeats=[2, 2, 2], "
                      "stages_out_channels=[8, 16, 32, 64, 128])"),
    "efficientnet_b0": (efficientnet_b0, "EfficientNet(_efficientnet_conf(\"efficientnet_b0\", width_mult=0.25, "
                        "depth_mult=0.25), its first 6 of 7 stages, last_channel=64)"),
    "convnext": (convnext_tiny, "ConvNeXt([CNBlockConfig(8, 16, 1), CNBlockConfig(16, None, 1)], "
                 "layer_scale randomized in [0.1, 1])"),
}


def randomize(model, generator):
    """He initialization, random batch-norm statistics, random layer-norm scales and shifts and ConvNeXt
    layer scales."""
    he_initialize(model, generator)
    randomize_batch_norm(model, generator)
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, nn.LayerNorm):
                module.weight.uniform_(0.5, 1.5, generator=generator)
                module.bias.uniform_(-0.5, 0.5, generator=generator)
            if isinstance(module, convnext.CNBlock):
                module.layer_scale.uniform_(0.1, 1.0, generator=generator)
    return model.eval()


def export(model, x, path, dynamo=False):
    if dynamo:
        program = torch.onnx.export(model, (x,), dynamo=True, opset_version=18,
                                    dynamic_shapes=({0: torch.export.Dim("batch")},))
        program.save(path)
    else:   # as make_lrp_fixtures.py exports
        torch.onnx.export(model, (x,), path, dynamo=False, opset_version=17, input_names=["x"],
                          dynamic_axes={"x": {0: "batch"}})


def fixture(name, model, x, description, dynamo=False):
    path = os.path.join(OUT, name + ".onnx")
    export(model, x, path, dynamo)
    with torch.no_grad():
        logits = model(x).numpy().astype(np.float32)
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    runtime = session.run(None, {session.get_inputs()[0].name: x.numpy()})[0]
    error = float(np.abs(runtime - logits).max() / np.abs(logits).max())
    assert error <= 1e-5, f"{name}: onnxruntime differs from PyTorch by {error:.2e} of the largest logit"
    np.save(os.path.join(OUT, name + ".input.npy"), x.numpy())
    np.save(os.path.join(OUT, name + ".logits.npy"), logits)
    graph = onnx.load(path)
    ops = Counter(node.op_type for node in graph.graph.node)
    parameters = sum(p.numel() for p in model.parameters())
    size = os.path.getsize(path)
    print(f"{name}: {parameters} parameters, {size} bytes, max |logit| {np.abs(logits).max():.3g}, "
          f"onnxruntime vs PyTorch {error:.1e}, opset {graph.opset_import[0].version}, ops {dict(sorted(ops.items()))}")
    return {"name": name, "description": description, "ops": ops, "size": size, "parameters": parameters,
            "opset": graph.opset_import[0].version, "error": error, "exporter": "dynamo" if dynamo else "TorchScript"}


def readme(rows):
    lines = ["# Model-zoo import fixtures", "",
             "Generated by `scripts/make_zoo_fixtures.py`. Each NAME has NAME.onnx, NAME.input.npy (float32",
             "[2, 3, 32, 32]) and NAME.logits.npy (PyTorch's float32 logits; onnxruntime agrees within 1e-5 of the",
             "largest logit). The torchvision networks are reduced-width versions built from torchvision's own",
             "classes, with random He-initialized weights (fixed seeds), randomized batch-norm statistics and",
             "layer-norm parameters, in eval mode; the ResNet-20 is akamaster/pytorch_resnet_cifar10's pretrained",
             "checkpoint (BSD-2-Clause, Copyright (c) 2018, Yerlan Idelbayev; architecture written in",
             "`scripts/models.py`), its input two demo images normalized as it was trained",
             "((pixels / 255 - (0.485, 0.456, 0.406)) / (0.229, 0.224, 0.225)).", "",
             "| fixture | architecture / configuration | exporter, opset | parameters | .onnx bytes | ONNX operators (count) |",
             "| --- | --- | --- | ---: | ---: | --- |"]
    for row in rows:
        ops = ", ".join(f"{op} ({count})" for op, count in sorted(row["ops"].items()))
        lines.append(f"| {row['name']} | {row['description']} | {row['exporter']}, {row['opset']} | "
                     f"{row['parameters']} | {row['size']} | {ops} |")
    lines += ["", "`resnet20_torchscript.onnx` is the same file as `../lrp/resnet20.onnx`.", ""]
    with open(os.path.join(OUT, "README.md"), "w") as f:
        f.write("\n".join(lines))


def main():
    parser = argparse.ArgumentParser(description="Generates Tests/LRPTests/Fixtures/zoo.")
    parser.add_argument("--resnet20-checkpoint", default="/tmp/resnet20.th",
                        help="akamaster/pytorch_resnet_cifar10's pretrained_models/resnet20-12fca82f.th")
    arguments = parser.parse_args()
    os.makedirs(OUT, exist_ok=True)
    rows = []
    for name, (build, description) in CONFIGS.items():
        seed = zlib.crc32(name.encode())
        torch.manual_seed(seed)
        generator = torch.Generator().manual_seed(seed)
        model = randomize(build(), generator)
        x = torch.rand(2, 3, 32, 32, generator=generator)
        rows.append(fixture(name, model, x, f"`torchvision.models.{description}`"))
    import make_demo
    model = load_cifar_resnet_checkpoint(CifarResNet(20), arguments.resnet20_checkpoint)
    names = sorted(f for f in os.listdir(IMAGES) if f.endswith(".png"))[:2]   # as make_lrp_fixtures.py
    images = np.stack([np.asarray(make_demo.Image.open(os.path.join(IMAGES, f)).convert("RGB"), np.float32)
                       .transpose(2, 0, 1) for f in names])
    x = torch.tensor(make_demo.normalize(images))
    description = "akamaster's pretrained CIFAR-10 ResNet-20 (`models.CifarResNet(20)`, option-A shortcut), inputs " + \
        " and ".join(names)
    rows.append(fixture("resnet20_torchscript", model, x, description))
    rows.append(fixture("resnet20_dynamo", model, x, description, dynamo=True))
    readme(rows)


if __name__ == "__main__":
    main()
