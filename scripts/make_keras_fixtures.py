"""Generates the tf2onnx import fixtures under Tests/LRPTests/Fixtures/onnx: Keras 3 models exported by the real
tf2onnx, as a Keras user would export them.

keras_demo_cnn: the project's demo CNN (scripts/make_demo.py, cifar-10-model 7.4.0's cnn_model.h5) rebuilt
  as the Keras Sequential model it was trained as (Conv2D valid with ReLU, then BatchNormalization eps 1e-3, max
  pooling, Flatten, Dense ...; layer names as in the h5), its weights read from the h5 with h5py.
  Input: the four photographs of Fixtures/lrp/demo.input.npy (raw pixels 0-255), so that its relevance can be
  compared with the PyTorch export's Zennit references directly.
keras_mobilenet_v2: keras.applications.MobileNetV2(alpha=0.35, input_shape=(32, 32, 3), weights=None,
  classes=10, classifier_activation=None), random weights from keras.utils.set_random_seed(0), batch-norm
  statistics and scales and the last dense layer's bias randomized from numpy seed 0. Input: two random images in [-1, 1] (its preprocessing's
  range).

Both are exported with tf2onnx.convert.from_function (opset 17) on a tf.function of the model in inference
mode, with Keras's NHWC input [batch, 32, 32, 3] named "input" (dynamic batch). NAME.input.npy is saved NCHW
([N, 3, 32, 32], what the Swift importer takes once it has absorbed the graph's NHWC -> NCHW input Transpose;
the batch Keras took is its transpose (0, 2, 3, 1)). NAME.logits.npy is Keras's own float32 output;
onnxruntime is checked to agree within 1e-4 of the largest logit.

Run from the repository root in a separate environment with tensorflow-cpu, tf2onnx, onnxruntime, h5py and
cifar-10-model (pip install tensorflow-cpu tf2onnx onnxruntime h5py; pip install --no-deps cifar-10-model):
    python scripts/make_keras_fixtures.py
"""
import os
from collections import Counter
import h5py
import numpy as np
import onnx
import onnxruntime as ort
import tensorflow as tf
import keras
import tf2onnx

import cifar_10_model

ROOT = os.path.join(os.path.dirname(__file__), "..")
OUT = os.path.join(ROOT, "Tests", "LRPTests", "Fixtures", "onnx")
H5 = os.path.join(os.path.dirname(cifar_10_model.__file__), "trained_models", "cnn_model.h5")


def demo_cnn():
    """The Sequential model of cnn_model.h5's model_config."""
    layers, index = [keras.Input((32, 32, 3), name="input")], 0
    for block, filters in enumerate([64, 128, 64]):
        for _ in range(2):
            layers += [keras.layers.Conv2D(filters, 3, padding="valid", activation="relu",
                                           name="conv2d" if index == 0 else f"conv2d_{index}"),
                       keras.layers.BatchNormalization(epsilon=1e-3, name="batch_normalization" if index == 0
                                                       else f"batch_normalization_{index}")]
            index += 1
        size = 1 if block == 2 else 2
        layers.append(keras.layers.MaxPooling2D(size, size, name="max_pooling2d" if block == 0 else f"max_pooling2d_{block}"))
    layers += [keras.layers.Flatten(name="flatten"),
               keras.layers.Dense(1024, activation="relu", name="dense"), keras.layers.Dropout(0.2, name="dropout"),
               keras.layers.Dense(512, activation="relu", name="dense_1"), keras.layers.Dropout(0.2, name="dropout_1"),
               keras.layers.Dense(10, activation="relu", name="dense_2")]
    model = keras.Sequential(layers, name="cnn_model")
    weights = h5py.File(H5, "r")["model_weights"]
    for layer in model.layers:
        if not layer.weights:
            continue
        group = weights[layer.name][layer.name]
        names = {"Conv2D": ["kernel", "bias"], "Dense": ["kernel", "bias"],
                 "BatchNormalization": ["gamma", "beta", "moving_mean", "moving_variance"]}[type(layer).__name__]
        layer.set_weights([np.array(group[name + ":0"]) for name in names])
    return model


def mobilenet_v2():
    keras.utils.set_random_seed(0)
    model = keras.applications.MobileNetV2(input_shape=(32, 32, 3), alpha=0.35, weights=None, classes=10,
                                           classifier_activation=None)
    rng = np.random.default_rng(0)
    for layer in model.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            n = layer.weights[0].shape[0]
            layer.set_weights([rng.uniform(0.5, 1.5, n), rng.uniform(-0.5, 0.5, n),
                               rng.uniform(-0.5, 0.5, n), rng.uniform(0.5, 2.0, n)])
    dense = model.get_layer("predictions")   # a non-zero bias, which tf2onnx would otherwise drop with its Add
    dense.set_weights([dense.get_weights()[0], rng.uniform(-0.1, 0.1, dense.get_weights()[1].shape)])
    return model


def export(model, name, x_nhwc):
    path = os.path.join(OUT, name + ".onnx")
    spec = (tf.TensorSpec([None, 32, 32, 3], tf.float32, name="input"),)
    function = tf.function(lambda x: model(x, training=False))
    tf2onnx.convert.from_function(function, input_signature=spec, opset=17, output_path=path)
    logits = model(x_nhwc, training=False).numpy().astype(np.float32)
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    runtime = session.run(None, {session.get_inputs()[0].name: x_nhwc})[0]
    error = float(np.abs(runtime - logits).max() / np.abs(logits).max())
    assert error <= 1e-4, f"{name}: onnxruntime differs from Keras by {error:.2e} of the largest logit"
    np.save(os.path.join(OUT, name + ".input.npy"), np.ascontiguousarray(x_nhwc.transpose(0, 3, 1, 2)))
    np.save(os.path.join(OUT, name + ".logits.npy"), logits)
    graph = onnx.load(path)
    ops = Counter(node.op_type for node in graph.graph.node)
    inputs = [(i.name, [d.dim_param or d.dim_value for d in i.type.tensor_type.shape.dim]) for i in graph.graph.input]
    print(f"{name}: {model.count_params()} parameters, {os.path.getsize(path)} bytes, inputs {inputs}, "
          f"max |logit| {np.abs(logits).max():.3g}, onnxruntime vs Keras {error:.1e}, "
          f"opset {graph.opset_import[0].version}, producer {graph.producer_name} {graph.producer_version}, "
          f"ops {dict(sorted(ops.items()))}")
    print("  predictions", logits.argmax(1).tolist())


def main():
    print(f"TensorFlow {tf.__version__}, Keras {keras.__version__}, tf2onnx {tf2onnx.__version__}")
    photos = np.load(os.path.join(ROOT, "Tests", "LRPTests", "Fixtures", "lrp", "demo.input.npy"))   # NCHW 0-255
    export(demo_cnn(), "keras_demo_cnn", np.ascontiguousarray(photos.transpose(0, 2, 3, 1)).astype(np.float32))
    x = np.random.default_rng(1).uniform(-1, 1, (2, 32, 32, 3)).astype(np.float32)
    export(mobilenet_v2(), "keras_mobilenet_v2", x)


if __name__ == "__main__":
    main()
