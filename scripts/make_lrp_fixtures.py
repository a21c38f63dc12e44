"""Generates the Zennit parity fixtures under Tests/LRPTests/Fixtures/lrp.

For each architecture: ARCH.onnx (exported from the PyTorch model before Zennit canonises it),
ARCH.input.npy (a float32 batch), and ARCH.VARIANT.npy, Zennit 1.0's relevance at the input for each rule,
preset, a range composite in the style of the slides, and the gradient baselines, with the conventions of
DESIGN.md section 2: target = predicted class, initial relevance = the target's logit (one-hot for the gradient
baselines), batch norm after a linear layer merged by Zennit's canonizers, Pass on activations and other batch
norms, Norm on average pooling and residual sums, gradient on max pooling. ARCH.variants.txt lists
"VARIANT<TAB>SPEC<TAB>E1,E2,..." so that the Swift tests know how to reproduce each file.

The reference relevance is computed by Zennit in float64 (the model and input converted), the exact answer
for the float32 weights. E1, E2, ... are, per sample, the largest difference between Zennit's own float32
result and that reference, relative to the largest reference value: how well float32 arithmetic can do on
this case at all. Some are ill-conditioned (LRP-0 through a deep network divides by near-zero
denominators): there even Zennit's float32 result is 1e-2 away from the exact one.

Run from the repository root with torch, torchvision, onnx and zennit 1.0 installed:
    python scripts/make_lrp_fixtures.py
"""
import copy
import os
import sys
import numpy as np
import torch
import torch.nn as nn
from zennit.attribution import Gradient, IntegratedGradients
from zennit.canonizers import SequentialMergeBatchNorm
from zennit.composites import (EpsilonAlpha2Beta1, EpsilonAlpha2Beta1Flat, EpsilonGammaBox, EpsilonPlus,
                               EpsilonPlusFlat, LayerMapComposite, NameLayerMapComposite, layer_map_base)
from zennit.rules import AlphaBeta, Epsilon, Flat, Gamma, WSquare, ZBox, ZPlus
from zennit.torchvision import ResNetCanonizer
from zennit.types import Convolution

sys.path.insert(0, os.path.dirname(__file__))
import make_demo  # noqa: E402
from models import ResNet, randomise_batch_norm, small_vgg as vgg, strided_bn  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "LRPTests", "Fixtures", "lrp")


def weighted_names(model):
    return [name for name, module in model.named_modules() if isinstance(module, (nn.Conv2d, nn.Linear))]


def range_composite(model, canonizers):
    """The slides' composition scaled to the model: gamma on the first third of the weighted layers, epsilon
    0.25 on the second, zero on the rest."""
    names = weighted_names(model)
    a, b = max(1, len(names) // 3), max(2, 2 * len(names) // 3)
    spec = f"1-{a}=gamma:0.25;{a + 1}-{b}=epsilon:0.25;{b + 1}-=zero"
    name_map = [(tuple(names[:a]), Gamma(0.25)), (tuple(names[a:b]), Epsilon(0.25)), (tuple(names[b:]), Epsilon(1e-6))]
    return spec, NameLayerMapComposite(name_map=name_map, layer_map=layer_map_base(), canonizers=canonizers)


def variants(model, low, high, canonizers):
    def uniform(rule):
        return LayerMapComposite(layer_map=layer_map_base() + [(Convolution, rule), (nn.Linear, rule)], canonizers=canonizers)
    box = f"{low:g},{high:g}"
    result = [
        ("zero", "zero", uniform(Epsilon(1e-6))),
        ("epsilon", "epsilon:0.25", uniform(Epsilon(0.25))),
        ("gamma", "gamma:0.25", uniform(Gamma(0.25))),
        ("zplus", "zplus", uniform(ZPlus())),
        ("alphabeta", "alphabeta:2,1", uniform(AlphaBeta(2, 1))),
        ("flat", "flat", uniform(Flat())),
        ("wsquare", "wsquare", uniform(WSquare())),
        ("box", f"box:{box}", uniform(ZBox(low, high))),
        ("epsilon-plus", "epsilon-plus", EpsilonPlus(canonizers=canonizers)),
        ("epsilon-plus-flat", "epsilon-plus-flat", EpsilonPlusFlat(canonizers=canonizers)),
        ("epsilon-alpha2-beta1", "epsilon-alpha2-beta1", EpsilonAlpha2Beta1(canonizers=canonizers)),
        ("epsilon-alpha2-beta1-flat", "epsilon-alpha2-beta1-flat", EpsilonAlpha2Beta1Flat(canonizers=canonizers)),
        ("epsilon-gamma-box", f"epsilon-gamma-box:{box}", EpsilonGammaBox(low, high, canonizers=canonizers)),
    ]
    spec, composite = range_composite(model, canonizers)
    result.append(("ranges", spec, composite))
    return result


def lrp(model, composite, x, target):
    with Gradient(model=model, composite=composite) as attributor:
        _, relevance = attributor(x, lambda output: output * nn.functional.one_hot(target, output.shape[1]))
    return relevance


def baselines(model, x, target):
    one_hot = nn.functional.one_hot(target, 10).to(x.dtype)
    with Gradient(model=model) as attributor:
        _, gradient = attributor(x, one_hot)
    with IntegratedGradients(model=model, n_iter=20) as attributor:
        _, integrated = attributor(x, one_hot)
    return {"gradient": gradient, "gradient-x-input": gradient * x, "integrated-gradients": integrated}


BASELINE_SPECS = {"gradient": "gradient", "gradient-x-input": "gradient-x-input",
                  "integrated-gradients": "integrated-gradients:20"}


def float32_errors(single, double):
    """Per sample: max |single - double| / max |double|."""
    single, double = single.detach().double().numpy(), double.detach().numpy()
    return [float(np.abs(s - d).max() / max(np.abs(d).max(), 1e-300)) for s, d in zip(single, double)]


def generate(name, model, x, low, high, canonizers, export_kwargs):
    """`export_kwargs` None: the model is already committed elsewhere (the demo)."""
    if export_kwargs is not None:
        torch.onnx.export(model, (x,), os.path.join(OUT, name + ".onnx"), dynamo=False, opset_version=17,
                          input_names=["x"], dynamic_axes={"x": {0: "batch"}}, **export_kwargs)
    np.save(os.path.join(OUT, name + ".input.npy"), x.numpy())
    target = model(x).argmax(1)
    model64 = copy.deepcopy(model).double()
    lines = []

    def save(variant, spec, single, double):
        np.save(os.path.join(OUT, f"{name}.{variant}.npy"), double.detach().numpy().astype(np.float32))
        lines.append(f"{variant}\t{spec}\t" + ",".join(f"{e:.3e}" for e in float32_errors(single, double)))

    pairs = zip(variants(model, low, high, canonizers), variants(model64, low, high, canonizers))
    for (variant, spec, composite), (_, _, composite64) in pairs:
        save(variant, spec, lrp(model, composite, x.clone(), target), lrp(model64, composite64, x.double(), target))
    single, double = baselines(model, x.clone(), target), baselines(model64, x.double(), target)
    for variant, spec in BASELINE_SPECS.items():
        save(variant, spec, single[variant], double[variant])
    with open(os.path.join(OUT, f"{name}.variants.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print(name, "targets", target.tolist(), "variants", len(lines))


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(0)
    generator = torch.Generator().manual_seed(1)
    x = torch.rand(2, 3, 32, 32, generator=generator)
    generate("vgg", vgg().eval(), x, 0.0, 1.0, [], {})
    generate("strided_bn", randomise_batch_norm(strided_bn(), generator), x, 0.0, 1.0, [SequentialMergeBatchNorm()],
             {"do_constant_folding": False, "training": torch.onnx.TrainingMode.PRESERVE})
    generate("resnet", randomise_batch_norm(ResNet(), generator), x, 0.0, 1.0, [ResNetCanonizer()], {})
    demo = make_demo.load_weights(make_demo.keras_cnn())
    photos = make_demo.photos()
    images = torch.tensor(np.stack([np.asarray(photos[k], np.float32).transpose(2, 0, 1) for k in sorted(photos)]))
    generate("demo", demo, images, 0.0, 255.0, [], None)   # the model is demo/cifar10_cnn.onnx


if __name__ == "__main__":
    main()
