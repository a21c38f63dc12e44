"""Checks that the full-size torchvision CNNs and the pretrained CIFAR-10 ResNets import into `lrp`, with logits
matching PyTorch and every preset composite giving finite relevance of the input's shape.

For each model: random weights from a fixed seed (no weights can be downloaded here; batch-norm statistics
randomized as in models.randomize_batch_norm), eval mode, exported to a temporary folder with PyTorch's
TorchScript exporter (opset 17, input "x" with a dynamic batch), run by `lrp predict` on a float32 .npy batch
[N, 3, 224, 224] and compared with PyTorch's logits: max |difference| / max |logit| must be at most 1e-4.
Then `lrp explain --composite PRESET` for each preset of Sources/LRPCore/Composites/Composite+Presets.swift
(epsilon-gamma-box with the input's minimum and maximum as bounds): the relevance must be finite with the
input's shape. The akamaster/pytorch_resnet_cifar10 ResNets (20, 32, 44, 56; architecture models.CifarResNet,
pretrained checkpoints, [N, 3, 32, 32] inputs) are exported with both the TorchScript exporter and the dynamo
exporter (opset 18, dynamic batch) when --akamaster names a folder with their .th files or a clone (or bare git
directory) of the repository.

Run from the repository root after `swift build -c release`, with torch, torchvision, onnx and onnxscript:
    python scripts/check_torchvision_zoo.py                       # all of them
    python scripts/check_torchvision_zoo.py --models alexnet vgg16 --akamaster /path/to/pytorch_resnet_cifar10
Exits non-zero if any check fails. A summary table is printed at the end.
"""
import argparse
import glob
import os
import subprocess
import sys
import tempfile
import time
import numpy as np
import onnx
import torch
import torchvision

sys.path.insert(0, os.path.dirname(__file__))
from models import CifarResNet, load_cifar_resnet_checkpoint, randomize_batch_norm  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), "..")
PRESETS = ["epsilon-plus", "epsilon-plus-flat", "epsilon-alpha2-beta1", "epsilon-alpha2-beta1-flat", "epsilon-gamma-box"]
TOLERANCE = 1e-4

TORCHVISION = {
    "alexnet": lambda: torchvision.models.alexnet(),
    "vgg16": lambda: torchvision.models.vgg16(),
    "resnet50": lambda: torchvision.models.resnet50(),
    "regnet_x_400mf": lambda: torchvision.models.regnet_x_400mf(),
    "mobilenet_v2": lambda: torchvision.models.mobilenet_v2(),
    "mobilenet_v3_small": lambda: torchvision.models.mobilenet_v3_small(),
    "densenet121": lambda: torchvision.models.densenet121(),
    "googlenet": lambda: torchvision.models.googlenet(aux_logits=False, init_weights=True, transform_input=False),
    "squeezenet1_1": lambda: torchvision.models.squeezenet1_1(),
    "efficientnet_b0": lambda: torchvision.models.efficientnet_b0(),
    "convnext_tiny": lambda: torchvision.models.convnext_tiny(),
    "shufflenet_v2_x1_0": lambda: torchvision.models.shufflenet_v2_x1_0(),
}
AKAMASTER_DEPTHS = [20, 32, 44, 56]


def akamaster_checkpoints(source, folder):
    """{depth: path} from a folder of .th files, a clone, or a bare git directory of the repository."""
    found = {}
    if source is None:
        return found
    for depth in AKAMASTER_DEPTHS:
        files = glob.glob(os.path.join(source, f"resnet{depth}-*.th")) + \
            glob.glob(os.path.join(source, "pretrained_models", f"resnet{depth}-*.th"))
        if files:
            found[depth] = files[0]
    if not found and os.path.exists(os.path.join(source, "HEAD")):   # a bare git directory
        listing = subprocess.run(["git", f"--git-dir={source}", "ls-tree", "--name-only", "HEAD", "pretrained_models/"],
                                 capture_output=True, text=True, check=True).stdout.split()
        for depth in AKAMASTER_DEPTHS:
            names = [n for n in listing if os.path.basename(n).startswith(f"resnet{depth}-")]
            if names:
                path = os.path.join(folder, os.path.basename(names[0]))
                with open(path, "wb") as f:
                    f.write(subprocess.run(["git", f"--git-dir={source}", "show", f"HEAD:{names[0]}"],
                                           capture_output=True, check=True).stdout)
                found[depth] = path
    return found


def export(model, x, path, dynamo):
    if dynamo:
        program = torch.onnx.export(model, (x,), dynamo=True, opset_version=18,
                                    dynamic_shapes=({0: torch.export.Dim("batch")},))
        program.save(path)
    else:
        torch.onnx.export(model, (x,), path, dynamo=False, opset_version=17, input_names=["x"],
                          dynamic_axes={"x": {0: "batch"}})


def lrp(binary, arguments, memory):
    started = time.time()
    result = subprocess.run([binary, *arguments, "--max-memory", memory], capture_output=True, text=True)
    message = (result.stderr.strip() or result.stdout.strip()).splitlines()
    message = message[-1] if message else ""
    for argument in arguments:   # the temporary paths say nothing
        if os.path.isabs(argument):
            message = message.replace(argument, os.path.basename(argument))
    return result.returncode, message, time.time() - started


def check(name, model, x, folder, binary, memory, dynamo=False):
    row = {"model": name, "exporter": "dynamo" if dynamo else "TorchScript"}
    model_path = os.path.join(folder, name + ".onnx")
    input_path = os.path.join(folder, name + ".input.npy")
    try:
        export(model, x, model_path, dynamo)
    except Exception as error:   # noqa: BLE001 - reported in the table
        row["error"] = f"export failed: {error}"
        return row
    graph = onnx.load(model_path, load_external_data=False)
    row["ops"] = sorted({node.op_type for node in graph.graph.node})
    np.save(input_path, x.numpy())
    with torch.no_grad():
        expected = model(x).numpy()
    logits_path = os.path.join(folder, name + ".logits.npy")
    status, message, seconds = lrp(binary, ["predict", "--model", model_path, "--input", input_path,
                                            "--output", logits_path], memory)
    if status != 0:
        row["error"] = f"predict: {message}"
        return row
    logits = np.load(logits_path)
    row["logits"] = float(np.abs(logits - expected).max() / np.abs(expected).max()) if logits.shape == expected.shape \
        else float("inf")
    row["predict_seconds"] = seconds
    low, high = float(x.min()), float(x.max())
    for preset in PRESETS:
        spec = f"{preset}:{low:.6g},{high:.6g}" if preset == "epsilon-gamma-box" else preset
        relevance_path = os.path.join(folder, f"{name}.{preset}.npy")
        status, message, seconds = lrp(binary, ["explain", "--model", model_path, "--input", input_path,
                                                "--composite", spec, "--output", relevance_path, "--quiet"], memory)
        if status != 0:
            row[preset] = "error"
            row.setdefault("messages", []).append(f"{preset}: {message}")
            continue
        relevance = np.load(relevance_path)
        if relevance.shape != tuple(x.shape):
            row[preset] = f"shape {relevance.shape}"
        elif not np.isfinite(relevance).all():
            row[preset] = "not finite"
        else:
            row[preset] = f"ok {seconds:.0f}s"
        os.remove(relevance_path)
    return row


def passed(row):
    return "error" not in row and row.get("logits", float("inf")) <= TOLERANCE and \
        all(row.get(preset, "").startswith("ok") for preset in PRESETS)


def table(rows):
    header = ["model", "exporter", "logits Δ/max", "ok"] + PRESETS
    lines = [header]
    for row in rows:
        if "error" in row:
            lines.append([row["model"], row["exporter"], "-", "FAIL", row["error"].split(":")[0] + " failed"] +
                         [""] * (len(PRESETS) - 1))
            continue
        lines.append([row["model"], row["exporter"], f"{row['logits']:.1e}", "yes" if passed(row) else "FAIL"] +
                     [row.get(preset, "") for preset in PRESETS])
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for line in lines:
        print("  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip())
    for row in rows:
        for message in ([row["error"]] if "error" in row else []) + row.get("messages", []):
            print(f"{row['model']} ({row['exporter']}): {message}")


def main():
    parser = argparse.ArgumentParser(description="Checks lrp on the torchvision CNN zoo and the CIFAR-10 ResNets.")
    parser.add_argument("--lrp", default=os.path.join(ROOT, ".build", "release", "lrp"), help="the lrp binary")
    parser.add_argument("--models", nargs="+", help="only these (torchvision names, resnet20 ... resnet56)")
    parser.add_argument("--akamaster", help="a folder with akamaster/pytorch_resnet_cifar10's pretrained .th files, "
                        "or a clone or bare git directory of the repository")
    parser.add_argument("--batch", type=int, default=2, help="inputs per model (default 2)")
    parser.add_argument("--max-memory", default="4G", help="lrp's --max-memory (default 4G: VGG-16 has 553 MB of weights)")
    parser.add_argument("--keep", help="keep the exported models and inputs in this folder")
    parser.add_argument("--ops", action="store_true", help="also list each model's ONNX operators")
    arguments = parser.parse_args()
    if not os.path.exists(arguments.lrp):
        sys.exit(f"no lrp binary at {arguments.lrp}: run `swift build -c release` first")
    folder = arguments.keep or tempfile.mkdtemp(prefix="lrp-zoo-")
    os.makedirs(folder, exist_ok=True)
    wanted = set(arguments.models) if arguments.models else None
    rows = []
    for name, build in TORCHVISION.items():
        if wanted is not None and name not in wanted:
            continue
        torch.manual_seed(0)
        model = randomize_batch_norm(build(), torch.Generator().manual_seed(1)).eval()
        x = torch.rand(arguments.batch, 3, 224, 224, generator=torch.Generator().manual_seed(2))
        print(f"{name} ...", flush=True)
        rows.append(check(name, model, x, folder, arguments.lrp, arguments.max_memory))
        if arguments.ops and "ops" in rows[-1]:
            print("  ops:", ", ".join(rows[-1]["ops"]))
    for depth, path in sorted(akamaster_checkpoints(arguments.akamaster, folder).items()):
        name = f"resnet{depth}"
        if wanted is not None and name not in wanted:
            continue
        model = load_cifar_resnet_checkpoint(CifarResNet(depth), path)
        x = torch.randn(arguments.batch, 3, 32, 32, generator=torch.Generator().manual_seed(3))  # normalized images
        for dynamo in (False, True):
            print(f"{name} ({'dynamo' if dynamo else 'TorchScript'}) ...", flush=True)
            rows.append(check(name + ("_dynamo" if dynamo else "_torchscript"), model, x, folder, arguments.lrp,
                              arguments.max_memory, dynamo))
            rows[-1]["model"] = name
            if arguments.ops and "ops" in rows[-1]:
                print("  ops:", ", ".join(rows[-1]["ops"]))
    if arguments.akamaster and not any(row["model"].startswith("resnet") and row["model"] != "resnet50" for row in rows) \
            and (wanted is None or any(m.startswith("resnet") and m != "resnet50" for m in wanted)):
        print(f"no akamaster checkpoints found in {arguments.akamaster}")
    print()
    table(rows)
    if not arguments.keep:
        subprocess.run(["rm", "-rf", folder])
    failed = [row["model"] for row in rows if not passed(row)]
    print(f"\n{len(rows) - len(failed)} passed, {len(failed)} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
