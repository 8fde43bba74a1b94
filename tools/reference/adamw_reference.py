"""PyTorch AdamW reference numbers for src/train/adamw.test.ts.

Run once with Debian's torch: /usr/bin/python3 tools/reference/adamw_reference.py
and paste the printed block into the test. The test rebuilds the same parameters, gradients and learning
rates from the formulas below, so only the results need copying.

Setup (mirrored in the test):
  w [2, 3] decayed,    w0[i] = 0.5 - 0.3 i,       grad_t[i] = sin(0.7 i + 1.3 t)
  b [3]    no decay,   b0[i] = 0.1 (i + 1),       grad_t[i] = 1e-8 sin(0.7 i + 1.3 t + 1)   (tiny: eps matters)
  e [2, 2] decayed,    e0 = [1, -2, 0.5, 0.25],   grad_t[i] = 100 sin(0.7 i + 1.3 t + 2), but no gradient at
                                                  steps 2 and 3 (frozen: skipped, moments untouched)
  steps t = 1..5, lr_t = LRS[t-1] for w and e, 2 lr_t for b; weight decay 0.1, betas (0.9, 0.999), eps 1e-8.
"""
import math

import torch

LRS = [1e-2, 2e-2, 5e-3, 1e-2, 3e-3]
WEIGHT_DECAY = 0.1
FROZEN_STEPS = {"e": {2, 3}}


def grad(name: str, numel: int, t: int) -> torch.Tensor:
    scale, phase = {"w": (1.0, 0.0), "b": (1e-8, 1.0), "e": (100.0, 2.0)}[name]
    return torch.tensor([scale * math.sin(0.7 * i + 1.3 * t + phase) for i in range(numel)], dtype=torch.float64).float()


def main() -> None:
    params = {
        "w": torch.tensor([0.5 - 0.3 * i for i in range(6)], dtype=torch.float64).float().reshape(2, 3),
        "b": torch.tensor([0.1 * (i + 1) for i in range(3)], dtype=torch.float64).float(),
        "e": torch.tensor([1.0, -2.0, 0.5, 0.25]).reshape(2, 2),
    }
    for p in params.values():
        p.requires_grad_(True)
    groups = [
        {"params": [params["w"], params["e"]], "weight_decay": WEIGHT_DECAY, "lr_scale": 1.0},
        {"params": [params["b"]], "weight_decay": 0.0, "lr_scale": 2.0},
    ]
    opt = torch.optim.AdamW(groups, lr=LRS[0], betas=(0.9, 0.999), eps=1e-8)
    for t, lr in enumerate(LRS, start=1):
        for group in opt.param_groups:
            group["lr"] = lr * group["lr_scale"]
        for name, p in params.items():
            frozen = t in FROZEN_STEPS.get(name, set())
            p.grad = None if frozen else grad(name, p.numel(), t).reshape(p.shape)
        opt.step()

    def fmt(tensor: torch.Tensor) -> str:
        return "[" + ", ".join(f"{v:.9g}" for v in tensor.detach().reshape(-1).tolist()) + "]"

    print(f"// torch {torch.__version__}, after {len(LRS)} steps")
    print("const TORCH = {")
    for name, p in params.items():
        state = opt.state[p]
        print(f"  {name}: {{ param: {fmt(p)}, m: {fmt(state['exp_avg'])}, v: {fmt(state['exp_avg_sq'])}, "
              f"step: {int(state['step'])} }},")
    print("};")


if __name__ == "__main__":
    main()
