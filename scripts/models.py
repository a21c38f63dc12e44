"""The PyTorch networks the fixture scripts and the Zennit comparison build, defined once."""
import torch
import torch.nn as nn
from torchvision.models.resnet import BasicBlock


def small_vgg():
    return nn.Sequential(
        nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 8, 3, padding=1), nn.ReLU(),
        nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False),
        nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.AvgPool2d(2),
        nn.Flatten(), nn.Linear(16 * 4 * 4, 32), nn.ReLU(), nn.Dropout(0.5), nn.Linear(32, 10))


def strided_bn():
    return nn.Sequential(
        nn.Conv2d(3, 8, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(8), nn.ReLU(),
        nn.Conv2d(8, 16, 3, stride=2, padding=(1, 0), dilation=(1, 2)), nn.BatchNorm2d(16), nn.ReLU(),
        nn.Conv2d(16, 16, 3, padding=1, groups=16), nn.ReLU(),
        nn.AvgPool2d(2, stride=2, padding=1, count_include_pad=True),
        nn.Flatten(), nn.Linear(16 * 5 * 4, 10))


class ResNet(nn.Module):
    """ResNet-18's layout for 32x32 input: a 3x3 stem and [2, 2, 2, 2] torchvision BasicBlocks (so Zennit's
    ResNetCanonizer applies) of width, 2, 4 and 8 times width channels. width=64 is the full network."""

    def __init__(self, width=4, classes=10):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, width, 3, 1, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU())
        blocks, cin = [], width
        for stage, cout in enumerate([width, 2 * width, 4 * width, 8 * width]):
            for index in range(2):
                stride = 2 if stage > 0 and index == 0 else 1
                downsample = None
                if stride != 1 or cin != cout:
                    downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))
                blocks.append(BasicBlock(cin, cout, stride, downsample))
                cin = cout
        self.blocks = nn.Sequential(*blocks)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(cin, classes)

    def forward(self, x):
        return self.fc(self.flatten(self.pool(self.blocks(self.stem(x)))))


def vgg11(classes=10):
    """VGG-11 for CIFAR: 3x3 convolutions 64-M-128-M-256-256-M-512-512-M-512-512-M, then 512-512-classes."""
    layers, channels = [], 3
    for width in [64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"]:
        if width == "M":
            layers.append(nn.MaxPool2d(2))
        else:
            layers += [nn.Conv2d(channels, width, 3, padding=1), nn.ReLU()]
            channels = width
    return nn.Sequential(*layers, nn.Flatten(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, classes))


def randomize_batch_norm(model, generator):
    for module in model.modules():
        if isinstance(module, nn.BatchNorm2d):
            with torch.no_grad():
                module.weight.uniform_(0.5, 1.5, generator=generator)
                module.bias.uniform_(-0.5, 0.5, generator=generator)
                module.running_mean.uniform_(-0.5, 0.5, generator=generator)
                module.running_var.uniform_(0.5, 2.0, generator=generator)
    return model.eval()


# --- issue 12: architectures with Concat, Slice, Pad and ceil-mode pooling -------------------------------------

class OptionAShortcut(nn.Module):
    """He et al. 2016's CIFAR-10 "option A" identity shortcut: every second pixel (a strided slice), then the
    channels zero-padded by `pad` on each side (planes // 4, doubling 16 -> 32 -> 64). No parameters."""

    def __init__(self, pad):
        super().__init__()
        self.pad = pad

    def forward(self, x):
        return nn.functional.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, self.pad, self.pad), "constant", 0.0)


class CifarBasicBlock(nn.Module):
    """Two 3x3 convolutions with batch norm, the second's output added to the shortcut, then ReLU. With
    `zennit_sum` the sum is a zennit.layer.Sum over the stacked pair, so that Zennit's Norm rule applies to it."""

    def __init__(self, in_planes, planes, stride=1, zennit_sum=False):
        super().__init__()
        # registration order conv1, bn1, ..., conv2, bn2: Zennit's SequentialMergeBatchNorm pairs consecutive leaves
        self.conv1 = nn.Conv2d(in_planes, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu1 = nn.ReLU()
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.shortcut = OptionAShortcut(planes // 4) if stride != 1 or in_planes != planes else nn.Identity()
        self.relu2 = nn.ReLU()
        self.zennit_sum = zennit_sum
        if zennit_sum:
            from zennit.layer import Sum
            self.sum = Sum()

    def forward(self, x):
        out = self.bn2(self.conv2(self.relu1(self.bn1(self.conv1(x)))))
        shortcut = self.shortcut(x)
        out = self.sum(torch.stack([out, shortcut], dim=-1)) if self.zennit_sum else out + shortcut
        return self.relu2(out)


class CifarResNet(nn.Module):
    """The CIFAR-10 ResNet of He et al. 2016 ("Deep Residual Learning for Image Recognition", section 4.2): depth
    6n + 2, a 3x3 convolution to 16 channels, three stages of n basic blocks at 16, 32 and 64 channels (the 2nd
    and 3rd start with stride 2 and an option-A shortcut), global average pooling and a linear layer 64 -> 10.
    The parameter names (conv1, bn1, layer1.0.conv1, ..., linear) are those of the widely used pretrained
    checkpoints (with their "module." prefix removed), so their state_dict loads as it is.
    zennit_sum=False: plain `out + shortcut` (for ONNX export); True: zennit.layer.Sum (for Zennit references)."""

    def __init__(self, depth=20, classes=10, zennit_sum=False):
        super().__init__()
        assert (depth - 2) % 6 == 0, "depth must be 6n + 2"
        n = (depth - 2) // 6
        self.conv1 = nn.Conv2d(3, 16, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        self.relu = nn.ReLU()
        in_planes = 16
        for stage, planes in enumerate([16, 32, 64]):
            blocks = []
            for index in range(n):
                stride = 2 if stage > 0 and index == 0 else 1
                blocks.append(CifarBasicBlock(in_planes, planes, stride, zennit_sum))
                in_planes = planes
            setattr(self, f"layer{stage + 1}", nn.Sequential(*blocks))
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.flatten = nn.Flatten()
        self.linear = nn.Linear(64, classes)

    def forward(self, x):
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.layer3(self.layer2(self.layer1(out)))
        return self.linear(self.flatten(self.pool(out)))


def load_cifar_resnet_checkpoint(model, path):
    """Loads a pretrained CIFAR-10 ResNet checkpoint (a dict whose "state_dict" has "module."-prefixed keys, as
    saved from nn.DataParallel) into `model` (strict: every key must match) and returns it in eval mode."""
    checkpoint = torch.load(path, map_location="cpu", weights_only=False)
    state = checkpoint.get("state_dict", checkpoint)
    model.load_state_dict({k.removeprefix("module."): v for k, v in state.items()})
    return model.eval()


class Fire(nn.Module):
    """SqueezeNet's Fire module (Iandola et al. 2016): a 1x1 squeeze convolution, then 1x1 and 3x3 expand
    convolutions side by side, joined by torch.cat on channels. ReLUs are separate modules (Zennit hooks them)."""

    def __init__(self, inplanes, squeeze, expand1x1, expand3x3):
        super().__init__()
        self.squeeze = nn.Conv2d(inplanes, squeeze, 1)
        self.squeeze_activation = nn.ReLU()
        self.expand1x1 = nn.Conv2d(squeeze, expand1x1, 1)
        self.expand1x1_activation = nn.ReLU()
        self.expand3x3 = nn.Conv2d(squeeze, expand3x3, 3, padding=1)
        self.expand3x3_activation = nn.ReLU()

    def forward(self, x):
        x = self.squeeze_activation(self.squeeze(x))
        return torch.cat([self.expand1x1_activation(self.expand1x1(x)),
                          self.expand3x3_activation(self.expand3x3(x))], 1)


def small_squeezenet(classes=10):
    """SqueezeNet 1.1's layout at a tiny width for 32x32 input. Both max poolings are MaxPool2d(3, 2,
    ceil_mode=True) on even sizes, where ceil mode adds a partial window: 32 -> 16 (floor mode: 15) and
    16 -> 8 (floor mode: 7). The classifier is SqueezeNet's: dropout, 1x1 convolution, ReLU, global average
    pooling, flatten."""
    return nn.Sequential(
        nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(),
        nn.MaxPool2d(3, 2, ceil_mode=True),
        Fire(8, 4, 8, 8), Fire(16, 4, 8, 8),
        nn.MaxPool2d(3, 2, ceil_mode=True),
        Fire(16, 6, 12, 12), Fire(24, 6, 12, 12),
        nn.Dropout(0.5), nn.Conv2d(24, classes, 1), nn.ReLU(),
        nn.AdaptiveAvgPool2d(1), nn.Flatten())


def conv_bn_relu(cin, cout, kernel, padding=0):
    """GoogLeNet's BasicConv2d: convolution without bias, batch norm (eps 1e-3), ReLU."""
    return nn.Sequential(nn.Conv2d(cin, cout, kernel, padding=padding, bias=False), nn.BatchNorm2d(cout, eps=1e-3),
                         nn.ReLU())


class InceptionBlock(nn.Module):
    """GoogLeNet's Inception module (Szegedy et al. 2015): four parallel branches, 1x1; 1x1 -> 3x3; 1x1 -> 5x5;
    3x3 max pooling (stride 1, padding 1) -> 1x1, joined by torch.cat on channels."""

    def __init__(self, cin, c1, c3_reduce, c3, c5_reduce, c5, pool_proj):
        super().__init__()
        self.branch1 = conv_bn_relu(cin, c1, 1)
        self.branch2 = nn.Sequential(conv_bn_relu(cin, c3_reduce, 1), conv_bn_relu(c3_reduce, c3, 3, 1))
        self.branch3 = nn.Sequential(conv_bn_relu(cin, c5_reduce, 1), conv_bn_relu(c5_reduce, c5, 5, 2))
        self.branch4 = nn.Sequential(nn.MaxPool2d(3, 1, 1), conv_bn_relu(cin, pool_proj, 1))

    def forward(self, x):
        return torch.cat([self.branch1(x), self.branch2(x), self.branch3(x), self.branch4(x)], 1)


class InceptionBlockNet(nn.Module):
    """A stem convolution, GoogLeNet's ceil-mode MaxPool2d(3, 2) (32 -> 16), one Inception block
    (8 -> 4 + 6 + 4 + 4 = 18 channels), 4x4 average pooling and a linear head."""

    def __init__(self, classes=10):
        super().__init__()
        self.stem = conv_bn_relu(3, 8, 3, 1)
        self.stem_pool = nn.MaxPool2d(3, 2, ceil_mode=True)
        self.inception = InceptionBlock(8, 4, 4, 6, 2, 4, 4)
        self.pool = nn.AvgPool2d(4)
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(18 * 4 * 4, classes)

    def forward(self, x):
        return self.fc(self.flatten(self.pool(self.inception(self.stem_pool(self.stem(x))))))


def he_initialize(model, generator):
    """Weights of every convolution and linear layer drawn from N(0, 2 / fan_in) (He et al. 2015) and biases
    from U(-0.1, 0.1): activations keep their scale through ReLU layers, so a small random network's logits
    are of order one (PyTorch's default initialization shrinks them layer by layer towards the stabilizers)."""
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, (nn.Conv2d, nn.Linear)):
                fan_in = module.weight[0].numel()
                module.weight.normal_(0.0, (2.0 / fan_in) ** 0.5, generator=generator)
                if module.bias is not None:
                    module.bias.uniform_(-0.1, 0.1, generator=generator)
    return model
