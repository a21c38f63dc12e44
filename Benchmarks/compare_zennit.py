"""Side-by-side throughput: Zennit 1.0 on PyTorch CPU against SwiftLRP, same weights, inputs, threads and rules.

Builds each network in PyTorch with seeded weights, exports it to ONNX for SwiftLRP, times Zennit's
attribution with the matching composite, then runs SwiftLRP's benchmark (`.build/release/LRPBenchmarks`,
built by `make bench` or `swift build -c release`) on the exported file, and prints both throughputs and
their ratio. Both run in this one invocation, one after the other, on the same machine.

It also times whole processes, as a user runs them: `lrp explain` on --images images (a .npy file, batch
--batch) for ε, γ and ε-γ-box against Zennit on the same images, and `lrp predict` against PyTorch's eval-mode
forward. Each contender runs --repeats times, interleaved, and the median counts.

Usage (from the repository root, with torch, torchvision, onnx and zennit 1.0 installed, after
`swift build -c release`):
    python Benchmarks/compare_zennit.py [--models vgg11,resnet18] [--batch 64] [--threads 2] [--seconds 3]
                                        [--images 512] [--repeats 3]
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch
import torch.nn as nn
from zennit.attribution import Gradient
from zennit.canonizers import SequentialMergeBatchNorm
from zennit.composites import (EpsilonAlpha2Beta1, EpsilonGammaBox, EpsilonPlus, LayerMapComposite,
                               layer_map_base)
from zennit.rules import AlphaBeta, Epsilon, Gamma
from zennit.torchvision import ResNetCanonizer
from zennit.types import Convolution

ROOT = os.path.join(os.path.dirname(__file__), "..")
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import models  # noqa: E402


def vgg11():
    return models.vgg11(), [SequentialMergeBatchNorm()]


def resnet18():
    return models.ResNet(width=64), [ResNetCanonizer()]


def composites(canonizers):
    def uniform(rule):
        return LayerMapComposite(layer_map=layer_map_base() + [(Convolution, rule), (nn.Linear, rule)], canonizers=canonizers)
    return {
        "epsilon:0.25": lambda: uniform(Epsilon(0.25)),
        "gamma:0.25": lambda: uniform(Gamma(0.25)),
        "alphabeta:2,1": lambda: uniform(AlphaBeta(2, 1)),
        "epsilon-plus": lambda: EpsilonPlus(canonizers=canonizers),
        "epsilon-alpha2-beta1": lambda: EpsilonAlpha2Beta1(canonizers=canonizers),
        "epsilon-gamma-box:0,1": lambda: EpsilonGammaBox(0.0, 1.0, canonizers=canonizers),
    }


def zennit_rate(model, make_composite, x, seconds):
    target = model(x).argmax(1)
    with Gradient(model=model, composite=make_composite()) as attributor:
        def once():
            attributor(x, lambda output: output * nn.functional.one_hot(target, output.shape[1]))
        once()
        best = float("inf")
        for _ in range(2):
            calls, start = 0, time.perf_counter()
            while time.perf_counter() - start < seconds:
                once()
                calls += 1
            best = min(best, (time.perf_counter() - start) / calls)
    return x.shape[0] / best


def swift_rates(onnx_path, name, methods, batch, seconds):
    binary = os.path.join(ROOT, ".build", "release", "LRPBenchmarks")
    command = [binary, "--tsv", "--models", "", "--onnx", f"{name}={onnx_path}", "--batches", str(batch), "--seconds", str(seconds)]
    for method in methods:
        command += ["--method", method]
    lines = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT).stdout.splitlines()
    rates, core = {}, "?"
    for line in lines:
        fields = line.split("\t")
        if fields[0] == "sgemm":
            core = fields[2]
        elif len(fields) >= 4:
            rates[fields[1]] = float(fields[3])
    return rates, core


PROCESS_METHODS = {"epsilon:0.25": ["--rule", "epsilon:0.25"], "gamma:0.25": ["--rule", "gamma:0.25"],
                   "epsilon-gamma-box:0,1": ["--composite", "epsilon-gamma-box:0,1"]}


def timed(work):
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def process_rates(model, canonizers, onnx_path, folder, images, batch, repeats):
    """Whole-process throughput (images/s): lrp explain and predict on a .npy of `images` images, against Zennit
    and PyTorch's forward on the same images in batches of `batch`; contenders interleaved, medians of `repeats`."""
    x = torch.rand(images, 3, 32, 32)
    npy = os.path.join(folder, "images.npy")
    np.save(npy, x.numpy())
    lrp = os.path.join(ROOT, ".build", "release", "lrp")
    methods = composites(canonizers)
    contenders = {}
    for method, arguments in PROCESS_METHODS.items():
        def zennit(make=methods[method]):
            with Gradient(model=model, composite=make()) as attributor:
                for chunk in x.split(batch):
                    with torch.no_grad():
                        target = model(chunk).argmax(1)
                    attributor(chunk, lambda output: output * nn.functional.one_hot(target, output.shape[1]))
        command = [lrp, "explain", "--model", onnx_path, "--input", npy, *arguments, "--output", os.path.join(folder, "r.npy")]
        contenders[("explain", method)] = (zennit, lambda command=command: subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL))

    def torch_forward():
        with torch.no_grad():
            for chunk in x.split(batch):
                model(chunk)
    predict = [lrp, "predict", "--model", onnx_path, "--input", npy, "--output", os.path.join(folder, "logits.npy")]
    contenders[("predict", "forward")] = (torch_forward, lambda: subprocess.run(predict, check=True, cwd=ROOT, stdout=subprocess.DEVNULL))
    times = {key: ([], []) for key in contenders}
    for _ in range(repeats):
        for key, (reference, ours) in contenders.items():
            times[key][0].append(timed(reference))
            times[key][1].append(timed(ours))
    return {key: (images / statistics.median(a), images / statistics.median(b)) for key, (a, b) in times.items()}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", default="vgg11,resnet18")
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=3)
    parser.add_argument("--images", type=int, default=512)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads; batch {args.batch}")
    print(f"{'model':9} {'method':24} {'Zennit img/s':>13} {'SwiftLRP img/s':>15} {'ratio':>7}")
    for name in args.models.split(","):
        model, canonizers = {"vgg11": vgg11, "resnet18": resnet18}[name]()
        model.eval()
        x = torch.rand(args.batch, 3, 32, 32)
        methods = composites(canonizers)
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, name + ".onnx")
            torch.onnx.export(model, (x[:1],), path, dynamo=False, opset_version=17, input_names=["x"],
                              dynamic_axes={"x": {0: "batch"}})
            zennit = {method: zennit_rate(model, make, x, args.seconds) for method, make in methods.items()}
            swift, core = swift_rates(path, name, list(methods), args.batch, args.seconds / 2)
            processes = process_rates(model, canonizers, path, folder, args.images, args.batch, args.repeats)
        for method in methods:
            print(f"{name:9} {method:24} {zennit[method]:13.1f} {swift[method]:15.1f} {swift[method] / zennit[method]:6.2f}x")
        print(f"whole processes on {args.images} images ({name}; Zennit and PyTorch in this process):")
        for (command, method), (reference, ours) in processes.items():
            label = f"lrp {command} {method}" if command == "explain" else "lrp predict vs torch forward"
            print(f"{name:9} {label:40} {reference:13.1f} {ours:15.1f} {ours / reference:6.2f}x")
    print(f"SwiftLRP's OpenBLAS core: {core}")


if __name__ == "__main__":
    sys.exit(main())
