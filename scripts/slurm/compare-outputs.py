#!/usr/bin/env python3
"""Checks that the merged output of sharded lrp runs equals one unsharded run's, within the rounding that
docs/scaling.md documents (other batch compositions round products differently in the last bits).

    compare-outputs.py relevance WHOLE.npy MERGED.npy   # float32 arrays: same shape, max |difference| <= 1e-6 * max |R|
    compare-outputs.py metrics WHOLE/ MERGED/            # metrics.json: same fields, numbers within 1e-5 (relative)
    compare-outputs.py spray WHOLE/ MERGED/              # spray.json: same inputs, clusters and assignments

Python 3 standard library only. Prints what it compared; exits 1 naming the first difference.
"""
import array
import ast
import json
import math
import sys


def read_npy(path):
    with open(path, "rb") as file:
        if file.read(6) != b"\x93NUMPY":
            sys.exit(f"{path}: not a .npy file")
        major = file.read(2)[0]
        size = int.from_bytes(file.read(2 if major == 1 else 4), "little")
        header = ast.literal_eval(file.read(size).decode("latin1"))
        if header["descr"] != "<f4" or header["fortran_order"]:
            sys.exit(f"{path}: expected little-endian float32 in C order, found {header}")
        values = array.array("f")
        values.frombytes(file.read())
    return header["shape"], values


def relevance(whole_path, merged_path):
    (shape, whole), (merged_shape, merged) = read_npy(whole_path), read_npy(merged_path)
    if shape != merged_shape or len(whole) != len(merged):
        sys.exit(f"{merged_path}: shape {merged_shape}, but {whole_path} has {shape}")
    largest = max(abs(value) for value in whole)
    difference = max(abs(a - b) for a, b in zip(whole, merged))
    print(f"relevance {shape}: largest difference {difference:.3g} against max |R| {largest:.3g}")
    if not difference <= 1e-6 * largest:
        sys.exit(f"{merged_path}: differs from {whole_path} by {difference:.3g}, more than 1e-6 × max |R| = {1e-6 * largest:.3g}")


def same(a, b, where, tolerance):
    """Compares two decoded JSON values; numbers within `tolerance`, relative to max(1, |a|)."""
    if isinstance(a, dict) and isinstance(b, dict):
        if sorted(a) != sorted(b):
            sys.exit(f"{where}: fields {sorted(b)} instead of {sorted(a)}")
        for key in a:
            same(a[key], b[key], f"{where}.{key}", tolerance)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            sys.exit(f"{where}: {len(b)} entries instead of {len(a)}")
        for index, (x, y) in enumerate(zip(a, b)):
            same(x, y, f"{where}[{index}]", tolerance)
    elif isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        if not math.isclose(a, b, rel_tol=tolerance, abs_tol=tolerance):
            sys.exit(f"{where}: {b} instead of {a}")
    elif a != b:
        sys.exit(f"{where}: {b!r} instead of {a!r}")


def load(folder, name):
    with open(f"{folder}/{name}") as file:
        return json.load(file)


def metrics(whole, merged):
    a, b = load(whole, "metrics.json"), load(merged, "metrics.json")
    same(a, b, f"{merged}/metrics.json", 1e-5)
    print(f"metrics of {b['methods'][0]['samples']} inputs: {', '.join(m['name'] for m in b['methods'] + b['baselines'])} agree")


def spray(whole, merged):
    a, b = load(whole, "spray.json"), load(merged, "spray.json")
    for key in ["inputs", "clusters", "suggestedClusters", "clusterSizes", "assignments", "targetClass", "method"]:
        same(a[key], b[key], f"{merged}/spray.json: {key}", 0)
    print(f"spray: {len(b['inputs'])} inputs of class {b['targetClass']}, clusters {b['clusterSizes']} agree")


if __name__ == "__main__":
    commands = {"relevance": relevance, "metrics": metrics, "spray": spray}
    if len(sys.argv) != 4 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]](sys.argv[2], sys.argv[3])
