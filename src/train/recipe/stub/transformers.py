"""A stand-in for the parts of `transformers` that train.py imports, for its tests on a Python without transformers.

The Auto model classes build a module whose named_parameters() are those listed in the JSON file that the
STUB_PARAMETERS variable names ({"model_type", "num_hidden_layers", "parameters": [[name, shape], ...]}), as the
model from_pretrained would load has them; the rest are bare names, enough for train.py to import and define itself.
"""
import json
import os
from types import SimpleNamespace

import torch


class _Model(torch.nn.Module):
    def __init__(self, spec):
        super().__init__()
        self.config = SimpleNamespace(model_type=spec["model_type"], num_hidden_layers=spec["num_hidden_layers"])
        for name, shape in spec["parameters"]:
            *path, leaf = name.split(".")
            module = self
            for part in path:
                if part not in module._modules:
                    module.add_module(part, torch.nn.Module())
                module = module._modules[part]
            module.register_parameter(leaf, torch.nn.Parameter(torch.zeros(shape)))


class _AutoModel:
    @classmethod
    def from_pretrained(cls, path, **kwargs):
        with open(os.environ["STUB_PARAMETERS"], encoding="utf-8") as file:
            return _Model(json.load(file))


class AutoModelForMaskedLM(_AutoModel):
    pass


class AutoModelForSequenceClassification(_AutoModel):
    pass


class AutoTokenizer:
    pass


class Trainer:
    pass


class TrainerCallback:
    pass


class TrainingArguments:
    pass


def set_seed(seed):
    torch.manual_seed(seed)
