import json
import struct
import tempfile
import unittest
from pathlib import Path

import torch

import safetensors_io


class SafetensorsTest(unittest.TestCase):
    def setUp(self) -> None:
        self.dir = tempfile.TemporaryDirectory()
        self.path = Path(self.dir.name) / "model.safetensors"

    def tearDown(self) -> None:
        self.dir.cleanup()

    def test_round_trip_and_header_layout(self) -> None:
        tensors = {"b.weight": torch.randn(3, 2), "a.bias": torch.arange(5, dtype=torch.float32),
                   "ids": torch.tensor([1, 2], dtype=torch.int64)}
        safetensors_io.save(tensors, self.path)
        raw = self.path.read_bytes()
        (length,) = struct.unpack("<Q", raw[:8])
        self.assertEqual(length % 8, 0)
        header = json.loads(raw[8 : 8 + length])
        self.assertEqual(list(header), ["__metadata__", "a.bias", "b.weight", "ids"])
        self.assertEqual(header["__metadata__"], {"format": "pt"})
        self.assertEqual(header["a.bias"], {"dtype": "F32", "shape": [5], "data_offsets": [0, 20]})
        self.assertEqual(len(raw), 8 + length + header["ids"]["data_offsets"][1])
        loaded = safetensors_io.load(self.path)
        for name, tensor in tensors.items():
            self.assertTrue(torch.equal(loaded[name], tensor), name)

    def test_rejects_truncated_files(self) -> None:
        safetensors_io.save({"x": torch.ones(4)}, self.path)
        self.path.write_bytes(self.path.read_bytes()[:-4])
        with self.assertRaisesRegex(ValueError, "x: data offsets"):
            safetensors_io.load(self.path)
        self.path.write_bytes(b"\x01\x02")
        with self.assertRaisesRegex(ValueError, "too short"):
            safetensors_io.load(self.path)

    def test_rejects_unsupported_dtypes(self) -> None:
        with self.assertRaisesRegex(ValueError, "h: unsupported dtype"):
            safetensors_io.save({"h": torch.ones(2, dtype=torch.float16)}, self.path)


if __name__ == "__main__":
    unittest.main()
