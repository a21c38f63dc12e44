"""Generates the ONNX import fixtures under Tests/LRPTests/Fixtures/onnx.

For each model: NAME.onnx (weights inside, or NAME.onnx + NAME.onnx.data for the external-data case),
NAME.input.npy (a float32 batch) and NAME.logits.npy (onnxruntime's output on it). Models have small random
weights; they cover both PyTorch exporters (TorchScript: opsets 13-17, Flatten/Gemm; dynamo: opsets 18+,
Reshape/ReduceMean), batch norm folded and kept, strided convolutions, average pooling, a ResNet-18-shaped
residual network, and a tf2onnx-style Keras graph (NHWC input, Transpose, MatMul + Add, Softmax).

Run from the repository root with torch, onnx, onnxruntime and onnxscript installed:
    python scripts/make_onnx_fixtures.py
"""
import os
import zlib
import numpy as np
import onnx
import onnxruntime as ort
import torch
import torch.nn as nn

from models import ResNet, randomize_batch_norm, small_vgg, strided_bn
from onnx import TensorProto, helper, numpy_helper

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "LRPTests", "Fixtures", "onnx")


def export(model, name, dynamo, opset, keep_batch_norm=False):
    path = os.path.join(OUT, name + ".onnx")
    x = torch.rand(2, 3, 32, 32)
    if dynamo:
        program = torch.onnx.export(model, (x,), dynamo=True, opset_version=opset,
                                    dynamic_shapes=({0: torch.export.Dim("batch")},))
        program.save(path)
    else:
        torch.onnx.export(model, (x,), path, dynamo=False, opset_version=opset, input_names=["x"],
                          output_names=["logits"], dynamic_axes={"x": {0: "batch"}, "logits": {0: "batch"}},
                          do_constant_folding=not keep_batch_norm,
                          training=torch.onnx.TrainingMode.PRESERVE if keep_batch_norm else torch.onnx.TrainingMode.EVAL)
    return path


def keras_style():
    """A tf2onnx-style graph: NHWC input, Transpose to NCHW, Conv/Relu/MaxPool, Transpose back, Reshape,
    MatMul + Add, Softmax."""
    rng = np.random.default_rng(5)
    w1 = rng.uniform(-0.3, 0.3, (6, 3, 3, 3)).astype(np.float32)
    b1 = rng.uniform(-0.1, 0.1, 6).astype(np.float32)
    w2 = rng.uniform(-0.1, 0.1, (16 * 16 * 6, 10)).astype(np.float32)
    b2 = rng.uniform(-0.1, 0.1, 10).astype(np.float32)
    nodes = [
        helper.make_node("Transpose", ["input_1"], ["nchw"], perm=[0, 3, 1, 2], name="transpose_in"),
        helper.make_node("Conv", ["nchw", "w1", "b1"], ["c1"], kernel_shape=[3, 3], auto_pad="SAME_UPPER", name="conv2d"),
        helper.make_node("Relu", ["c1"], ["r1"], name="relu"),
        helper.make_node("MaxPool", ["r1"], ["p1"], kernel_shape=[2, 2], strides=[2, 2], name="max_pooling2d"),
        helper.make_node("Transpose", ["p1"], ["nhwc"], perm=[0, 2, 3, 1], name="transpose_out"),
        helper.make_node("Constant", [], ["shape"], value=numpy_helper.from_array(np.array([-1, 16 * 16 * 6], np.int64)), name="const_shape"),
        helper.make_node("Reshape", ["nhwc", "shape"], ["flat"], name="flatten"),
        helper.make_node("MatMul", ["flat", "w2"], ["mm"], name="dense/MatMul"),
        helper.make_node("Add", ["mm", "b2"], ["logits"], name="dense/BiasAdd"),
        helper.make_node("Softmax", ["logits"], ["probabilities"], axis=-1, name="dense/Softmax"),
    ]
    graph = helper.make_graph(
        nodes, "keras_style",
        [helper.make_tensor_value_info("input_1", TensorProto.FLOAT, ["unk__6", 32, 32, 3])],
        [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["unk__7", 10])],
        [numpy_helper.from_array(w1, "w1"), numpy_helper.from_array(b1, "b1"),
         numpy_helper.from_array(w2, "w2"), numpy_helper.from_array(b2, "b2")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="tf2onnx")
    path = os.path.join(OUT, "keras_style.onnx")
    onnx.save(model, path)
    return path


def save_reference(path, name, nhwc=False, logits_value=None):
    """Runs onnxruntime on a random batch. `logits_value` names the value before a final Softmax, which the
    importer drops: the reference is then that value, exposed as an extra graph output."""
    model = onnx.load(path)
    if logits_value:
        model.graph.output.append(helper.make_tensor_value_info(logits_value, TensorProto.FLOAT, None))
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    x = rng.uniform(0, 1, (3, 3, 32, 32)).astype(np.float32)
    feed = x.transpose(0, 2, 3, 1) if nhwc else x
    logits = session.run([logits_value or session.get_outputs()[0].name], {session.get_inputs()[0].name: feed})[0]
    np.save(os.path.join(OUT, name + ".input.npy"), x)   # always NCHW: the importer absorbs the input Transpose
    np.save(os.path.join(OUT, name + ".logits.npy"), logits.astype(np.float32))
    ops = sorted({node.op_type for node in onnx.load(path, load_external_data=False).graph.node})
    print(f"{name}: opset {onnx.load(path, load_external_data=False).opset_import[0].version}, ops {ops}")


def main():
    os.makedirs(OUT, exist_ok=True)
    generator = torch.Generator().manual_seed(0)
    torch.manual_seed(0)
    cases = [
        ("vgg_torchscript", small_vgg().eval(), False, 13, False),
        ("vgg_dynamo", small_vgg().eval(), True, 18, False),
        ("strided_bn_torchscript", randomize_batch_norm(strided_bn(), generator), False, 17, True),
        ("strided_bn_dynamo", randomize_batch_norm(strided_bn(), generator), True, 20, False),
        ("resnet_torchscript", randomize_batch_norm(ResNet(), generator), False, 17, False),
        ("resnet_dynamo", randomize_batch_norm(ResNet(), generator), True, 21, False),
    ]
    for name, model, dynamo, opset, keep_bn in cases:
        path = export(model, name, dynamo, opset, keep_bn)
        save_reference(path, name)
    save_reference(keras_style(), "keras_style", nhwc=True, logits_value="logits")
    # the same residual network with its weights in an external data file, as PyTorch writes large models
    model = onnx.load(os.path.join(OUT, "resnet_torchscript.onnx"))
    onnx.save_model(model, os.path.join(OUT, "resnet_external.onnx"), save_as_external_data=True,
                    all_tensors_to_one_file=True, location="resnet_external.onnx.data", size_threshold=0)
    save_reference(os.path.join(OUT, "resnet_external.onnx"), "resnet_external")


if __name__ == "__main__":
    main()
