"""Reading and writing the safetensors format by hand (no `safetensors` package on this machine).

Layout: 8-byte little-endian header length, a JSON header mapping each tensor name to its dtype, shape and
[start, end) byte offsets into the data that follows (names sorted, `__metadata__` first), then the raw
little-endian tensor bytes.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np
import torch
from torch import Tensor

DTYPES: dict[torch.dtype, str] = {torch.float32: "F32", torch.int64: "I64", torch.int32: "I32"}
NUMPY: dict[str, np.dtype] = {"F32": np.dtype("<f4"), "I64": np.dtype("<i8"), "I32": np.dtype("<i4")}


def save(tensors: dict[str, Tensor], path: Path, metadata: dict[str, str] | None = None) -> None:
    header: dict[str, object] = {"__metadata__": metadata or {"format": "pt"}}
    blobs: list[bytes] = []
    offset = 0
    for name in sorted(tensors):
        tensor = tensors[name].detach().cpu().contiguous()
        if tensor.dtype not in DTYPES:
            raise ValueError(f"{name}: unsupported dtype {tensor.dtype}")
        blob = tensor.numpy().astype(NUMPY[DTYPES[tensor.dtype]], copy=False).tobytes()
        end = offset + len(blob)
        header[name] = {"dtype": DTYPES[tensor.dtype], "shape": list(tensor.shape), "data_offsets": [offset, end]}
        blobs.append(blob)
        offset += len(blob)
    encoded = json.dumps(header, separators=(",", ":")).encode("utf-8")
    encoded += b" " * (-len(encoded) % 8)  # keep the tensor data 8-byte aligned, as the reference writer does
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("wb") as f:
        f.write(struct.pack("<Q", len(encoded)))
        f.write(encoded)
        for blob in blobs:
            f.write(blob)
    tmp.replace(path)


def load(path: Path) -> dict[str, Tensor]:
    raw = path.read_bytes()
    if len(raw) < 8:
        raise ValueError(f"{path}: too short for a safetensors file")
    (length,) = struct.unpack("<Q", raw[:8])
    if 8 + length > len(raw):
        raise ValueError(f"{path}: header length {length} exceeds the file")
    header = json.loads(raw[8 : 8 + length])
    data = memoryview(raw)[8 + length :]
    out: dict[str, Tensor] = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] not in NUMPY:
            raise ValueError(f"{name}: unsupported dtype {info['dtype']}")
        start, end = info["data_offsets"]
        if not 0 <= start <= end <= len(data):
            raise ValueError(f"{name}: data offsets {start}..{end} outside the data")
        array = np.frombuffer(data[start:end], dtype=NUMPY[info["dtype"]]).reshape(info["shape"])
        out[name] = torch.from_numpy(array.copy())
    return out
