#!/usr/bin/python3
"""Golden fixture for LoRA adapters (src/model/lora.ts, src/model/peft.ts): the `base` checkpoint with a PEFT
adapter on the query, value and both feed-forward layers of every layer.

The adapter is written as PEFT saves one (adapter_config.json + adapter_model.safetensors, names
`base_model.model.<module>.lora_A.weight`, the trained head as `modules_to_save` under its own name), and the
reference adds PEFT's LoRA term to each adapted Linear layer of make_fixtures.py's BERT, written from the paper and
PEFT's `Linear.forward`: y = x W^T + b + (alpha / r) * (dropout(x) A^T) B^T (dropout off here). A and B are both
random (PEFT starts B at zero, which would hide a wrong A), so every term reaches the outputs and gradients.

Usage: /usr/bin/python3 tools/reference/make_lora_fixture.py   (after make_fixtures.py: it reads `base`)
"""

import json
import os

import torch

import make_fixtures as ref

RANK = 4
ALPHA = 8
ADAPTED = ['attention.self.query', 'attention.self.value', 'intermediate.dense', 'output.dense']
PREFIX = 'base_model.model.'


def adapter_weights(cfg, weights, seed):
    """lora_A [r, in] and lora_B [out, r] per adapted layer, N(0, 0.3) float32 (larger than PEFT's start)."""
    generator = torch.Generator().manual_seed(seed)
    adapters = {}
    for index in range(cfg['num_hidden_layers']):
        for module in ADAPTED:
            name = f'bert.encoder.layer.{index}.{module}'
            out, inp = weights[name + '.weight'].shape
            adapters[name + '.lora_A.weight'] = (torch.randn(RANK, inp, generator=generator, dtype=torch.float64) * 0.3).float()
            adapters[name + '.lora_B.weight'] = (torch.randn(out, RANK, generator=generator, dtype=torch.float64) * 0.3).float()
    return adapters


def with_lora(base_linear):
    """make_fixtures.linear with PEFT's LoRA term on the layers that carry an adapter."""
    def linear(p, prefix, x):
        y = base_linear(p, prefix, x)
        a, b = p.get(prefix + '.lora_A.weight'), p.get(prefix + '.lora_B.weight')
        if a is None:
            return y
        return y + (x @ a.T) @ b.T * (ALPHA / RANK)
    return linear


def main():
    torch.use_deterministic_algorithms(True)
    base = os.path.join(ref.FIXTURES, 'base')
    with open(os.path.join(base, 'config.json')) as f:
        cfg = json.load(f)
    weights = {name: torch.from_numpy(array) for name, array in ref.read_safetensors(os.path.join(base, 'model.safetensors')).items()}
    adapters = adapter_weights(cfg, weights, seed=7)
    # The head trained beside the adapters (PEFT's modules_to_save): new values, so the file's head must be used.
    generator = torch.Generator().manual_seed(8)
    head = {name: (torch.randn(weights[name].shape, generator=generator, dtype=torch.float64) * 0.2).float()
            for name in ['bert.pooler.dense.weight', 'bert.pooler.dense.bias', 'classifier.weight', 'classifier.bias']}
    folder = os.path.join(ref.FIXTURES, 'lora')
    adapter_dir = os.path.join(folder, 'adapter')
    os.makedirs(adapter_dir, exist_ok=True)
    ref.write_safetensors(os.path.join(adapter_dir, 'adapter_model.safetensors'),
                          {PREFIX + name: w.numpy() for name, w in {**adapters, **head}.items()})
    # A regex, as PEFT takes it (fullmatch): the list ['output.dense'] would also match attention.output.dense.
    config = {'peft_type': 'LORA', 'task_type': 'SEQ_CLS', 'r': RANK, 'lora_alpha': ALPHA, 'lora_dropout': 0.0,
              'target_modules': r'.*\.layer\.\d+\.(attention\.self\.(query|value)|intermediate\.dense|output\.dense)', 'bias': 'none',
              'fan_in_fan_out': False, 'modules_to_save': ['classifier', 'pooler'], 'inference_mode': True,
              'base_model_name_or_path': 'fixtures/base', 'use_rslora': False, 'use_dora': False}
    with open(os.path.join(adapter_dir, 'adapter_config.json'), 'w') as f:
        json.dump(config, f, indent=2, sort_keys=True)
        f.write('\n')

    ref.linear = with_lora(ref.linear)
    input_ids, token_type_ids, attention_mask = ref.batch_of(ref.BASE_ROWS, ref.BASE_PAIRS, ref.BASE_SEQ)
    layer0, layer1 = 'bert.encoder.layer.0.', 'bert.encoder.layer.1.'
    grads = [layer0 + 'attention.self.query.lora_A.weight', layer0 + 'attention.self.query.lora_B.weight',
             layer1 + 'attention.self.value.lora_A.weight', layer1 + 'output.dense.lora_B.weight',
             layer0 + 'intermediate.dense.lora_A.weight', 'bert.pooler.dense.weight', 'classifier.weight']
    losses = [('classification', torch.tensor(ref.BASE_CLASS_LABELS), grads)]
    tensors, meta = ref.golden(cfg, {**weights, **adapters, **head}, {'mlm': False, 'classification': True},
                               input_ids, token_type_ids, attention_mask, losses)
    meta['adapter'] = 'adapter'
    ref.write_golden(folder, 'base with a PEFT LoRA adapter (r 4, alpha 8) on query, value and the feed-forward layers, '
                     'and a new pooler and classifier: every output, the classification loss and the adapters\' gradients',
                     base, tensors, meta)


if __name__ == '__main__':
    main()
