"""Fine-tunes a BERT-family model as a BERT Studio run did, with the Hugging Face Trainer, on one GPU or many.

    accelerate launch train.py                            # every GPU of this machine (DDP)
    accelerate launch train.py --deepspeed ds_zero2.json  # DeepSpeed ZeRO-2
    python train.py --print-groups                        # the optimizer groups and freeze map, as JSON

recipe.json is the run: its task, its model (model/, the checkpoint it started from), every setting of the studio's
Training panel, and the example and step counts the studio had; data/ holds the studio's train/validation split.
Each rule below mirrors the BERT Studio module named beside it (src/train/..., src/data/...); README.md says what maps
to what, and what cannot be reproduced bit for bit.
"""
import argparse
import dataclasses
import json
import math
import os
import re

import torch
from transformers import (
    AutoModelForMaskedLM,
    AutoModelForSequenceClassification,
    AutoTokenizer,
    Trainer,
    TrainerCallback,
    TrainingArguments,
    set_seed,
)

HERE = os.path.dirname(os.path.abspath(__file__))
FORMAT = "bert-studio-recipe/1"
TRAINING_KEYS = {
    "learning_rate", "epochs", "batch_size", "max_length", "warmup_ratio", "weight_decay", "schedule", "max_grad_norm",
    "gradient_accumulation_steps", "seed", "llrd", "head_lr_multiplier", "eval_every", "early_stopping_patience",
    "early_stopping_min_delta", "val_split", "mlm_probability", "whole_word_masking", "pack_sequences", "max_steps",
    "freeze", "gradient_checkpointing", "adam_beta1", "adam_beta2", "adam_epsilon",
    "lora_rank", "lora_alpha", "lora_dropout", "lora_targets",
}
# Rows are tokenized at up to this many tokens before packing, so a long row continues in the next sequence
# (src/data/encode.ts FULL_ENCODING_LIMIT).
FULL_ENCODING_LIMIT = 512
IGNORE_INDEX = -100


def load_recipe(path):
    with open(path, encoding="utf-8") as file:
        recipe = json.load(file)
    if recipe.get("format") != FORMAT:
        raise SystemExit(f"{path} is not a {FORMAT} recipe (format {recipe.get('format')!r})")
    keys = set(recipe["training"])
    if keys != TRAINING_KEYS:
        raise SystemExit(f"{path}: training settings missing {sorted(TRAINING_KEYS - keys)}, unknown {sorted(keys - TRAINING_KEYS)}")
    if recipe["training"]["lora_rank"] > 0:
        # The studio writes no LoRA recipe (src/worker/engine.ts refuses one); a hand-edited rank is refused too.
        raise SystemExit(f"{path}: lora_rank {recipe['training']['lora_rank']}: this train.py fine-tunes every weight; "
                         "LoRA runs are not in the recipe yet")
    return recipe


# --- Parameter groups (src/train/groups.ts) ---------------------------------------------------------------------
# The studio groups parameters by position: embeddings, layer.0 ... layer.N-1 (bottom to top), pooler, and head
# (everything outside the encoder). These are each family's Hugging Face module names for them.
FAMILY_PARTS = {
    "bert": ("bert.", ("bert.embeddings.",), r"bert\.encoder\.layer\.(\d+)\.", ("bert.pooler.",)),
    "distilbert": ("distilbert.", ("distilbert.embeddings.",), r"distilbert\.transformer\.layer\.(\d+)\.", ("pre_classifier.",)),
    "electra": ("electra.", ("electra.embeddings.", "electra.embeddings_project."), r"electra\.encoder\.layer\.(\d+)\.", ("classifier.dense.",)),
    "roberta": ("roberta.", ("roberta.embeddings.",), r"roberta\.encoder\.layer\.(\d+)\.", ("roberta.pooler.", "classifier.dense.")),
}
FAMILY_PARTS["xlm-roberta"] = FAMILY_PARTS["roberta"]
FAMILY_PARTS["albert"] = (
    "albert.", ("albert.embeddings.", "albert.encoder.embedding_hidden_mapping_in."),
    r"albert\.encoder\.albert_layer_groups\.(\d+)\.", ("albert.pooler.",),
)


def layer_groups(config):
    """The studio's layer groups: one per set of layer weights (ALBERT's layers share num_hidden_groups sets)."""
    return getattr(config, "num_hidden_groups", config.num_hidden_layers)


def group_ids(num_layers):
    return ["embeddings", *(f"layer.{i}" for i in range(num_layers)), "pooler", "head"]


def group_of(name, model_type, num_layers):
    encoder, embeddings, layer, pooler = FAMILY_PARTS[model_type]
    if name.startswith(embeddings):
        return "embeddings"
    if name.startswith(pooler):
        return "pooler"
    match = re.match(layer, name)
    if match and int(match.group(1)) < num_layers:
        return f"layer.{match.group(1)}"
    if name.startswith(encoder):
        raise SystemExit(f"parameter {name} is in no known part of the {model_type} encoder")
    return "head"


def decays(parameter):
    """Weight decay on tensors with >= 2 dims (dense weights, embedding tables), none on biases and LayerNorm."""
    return parameter.dim() >= 2


# --- Learning rates (src/train/lr.ts) -----------------------------------------------------------------------------
def lr_distance(group, num_layers):
    if group in ("head", "pooler"):
        return 0
    if group == "embeddings":
        return num_layers + 1
    return num_layers - int(group.split(".")[1])


def group_lrs(training, num_layers):
    """Layer-wise decay: head and pooler at the base rate, layer i at base * llrd^(N - i), embeddings llrd^(N + 1)."""
    lrs = {g: training["learning_rate"] * training["llrd"] ** lr_distance(g, num_layers) for g in group_ids(num_layers)}
    lrs["head"] *= training["head_lr_multiplier"]
    return lrs


def lr_scale(step, total, kind, warmup_ratio):
    """The factor on every group's rate at optimizer step `step` (0-based): warmup reaches the full rate on its last
    step ((step + 1) / W, one step ahead of HF's get_*_schedule_with_warmup), then linear, cosine or constant."""
    warmup = math.ceil(warmup_ratio * total)
    if step < warmup:
        return (step + 1) / warmup
    if kind == "constant":
        return 1.0
    if step >= total:
        return 0.0
    progress = (step - warmup) / (total - warmup)
    return 1 - progress if kind == "linear" else 0.5 * (1 + math.cos(math.pi * progress))


def optimizer_groups(model, training):
    """The studio's AdamW groups: one per (group, decay) with the group's rate; a parameter that gets no gradient
    (frozen) is skipped by torch's AdamW entirely, as by the studio's: no decay, no moments, no step count."""
    model_type, num_layers = model.config.model_type, layer_groups(model.config)
    lrs = group_lrs(training, num_layers)
    groups = {}
    for name, parameter in model.named_parameters():
        group, decay = group_of(name, model_type, num_layers), decays(parameter)
        entry = groups.setdefault((group, decay), {
            "params": [], "names": [], "group": group, "decay": decay,
            "lr": lrs[group], "weight_decay": training["weight_decay"] if decay else 0.0,
        })
        entry["params"].append(parameter)
        entry["names"].append(name)
    order = {g: i for i, g in enumerate(group_ids(num_layers))}
    return sorted(groups.values(), key=lambda g: (order[g["group"]], not g["decay"]))


# --- Freezing and gradual unfreezing (src/train/freeze.ts) --------------------------------------------------------
def freeze_schedule(spec, num_layers):
    """The groups frozen at the start, and the unfreezing period (None, "epoch" or a step count)."""
    spec = re.sub(r"\s+", "", spec.lower())
    encoder = set(group_ids(num_layers)) - {"head"}
    if spec in ("none", "all-trainable"):
        return set(), None
    if spec == "head":
        return encoder, None
    kind, _, value = spec.partition(":")
    if kind == "top":
        return {"embeddings", *(f"layer.{i}" for i in range(num_layers - int(value)))}, None
    if kind == "gradual":
        return encoder, value if value == "epoch" else int(value)
    return {item if item in ("embeddings", "pooler") else f"layer.{int(item)}" for item in spec.split(",")}, None


def unfreeze_units(num_layers):
    """Top to bottom: the head; the pooler with the top layer; each lower layer; the embeddings."""
    lower = [[f"layer.{i}"] for i in range(num_layers - 2, -1, -1)]
    return [["head"], ["pooler", f"layer.{num_layers - 1}"], *lower, ["embeddings"]]


def frozen_in_period(start, period, num_layers):
    """Period p has the p topmost units that `start` froze unfrozen."""
    units = [unit for unit in unfreeze_units(num_layers) if any(g in start for g in unit)]
    unfrozen = {g for unit in units[:period] for g in unit}
    return start - unfrozen


def apply_freeze(model, frozen):
    """Frozen groups get no gradient (requires_grad False), as the studio leaves them out of its gradient list."""
    model_type, num_layers = model.config.model_type, layer_groups(model.config)
    for name, parameter in model.named_parameters():
        parameter.requires_grad_(group_of(name, model_type, num_layers) not in frozen)


class GradualUnfreezing(TrainerCallback):
    """Before each optimizer step, freezes the groups the studio's schedule has frozen at that step."""

    def __init__(self, start, every, steps_per_epoch, num_layers):
        self.start, self.every, self.steps_per_epoch, self.num_layers = start, every, steps_per_epoch, num_layers

    def on_step_begin(self, args, state, control, model=None, **kwargs):
        step = state.global_step
        period = step // self.steps_per_epoch if self.every == "epoch" else step // self.every
        apply_freeze(model, frozen_in_period(self.start, period, self.num_layers))


# --- Evaluation and early stopping (src/train/trainer.ts, src/train/metrics.ts) -----------------------------------
class EvaluationSchedule(TrainerCallback):
    """Evaluates (and saves a checkpoint) where the studio does: every `eval_every` steps when it is a number, at the
    end of every epoch, and after the last step."""

    def __init__(self, every, steps_per_epoch):
        self.every, self.steps_per_epoch = every, steps_per_epoch

    def on_step_end(self, args, state, control, **kwargs):
        step = state.global_step
        if step % self.steps_per_epoch == 0 or step >= state.max_steps or (self.every != "epoch" and step % self.every == 0):
            control.should_evaluate = control.should_save = True


class EarlyStopping(TrainerCallback):
    """The studio's rule: an evaluation improves when its loss is below the best by more than min_delta; training
    stops after `patience` evaluations without one, and the best evaluation's weights are put back at the end."""

    def __init__(self, patience, min_delta):
        self.patience, self.min_delta = patience, min_delta
        self.best_loss, self.best_weights, self.since_best = None, None, 0

    def on_evaluate(self, args, state, control, metrics=None, model=None, **kwargs):
        loss = metrics["eval_loss"]
        if not math.isnan(loss) and (self.best_loss is None or loss < self.best_loss - self.min_delta):
            self.best_loss, self.since_best = loss, 0
            self.best_weights = {k: v.detach().to("cpu", copy=True) for k, v in model.state_dict().items()}
        else:
            self.since_best += 1
        if self.since_best >= self.patience:
            control.should_training_stop = True

    def on_train_end(self, args, state, control, model=None, **kwargs):
        if self.best_weights is not None:
            model.load_state_dict(self.best_weights)


# --- Data (src/data/encode.ts, packing.ts, masking.ts) ------------------------------------------------------------
def read_jsonl(path):
    with open(path, encoding="utf-8") as file:
        return [json.loads(line) for line in file if line.strip()]


def encode(tokenizer, row, max_length):
    """A row as the studio encodes it (longest-first truncation of a pair), with word ids unique across the pair."""
    encoding = tokenizer(row["text"], row.get("text_pair"), truncation=True, max_length=max_length)
    words = {}
    word_ids = [-1 if w is None else words.setdefault((s, w), len(words)) for s, w in zip(encoding.sequence_ids(), encoding.word_ids())]
    return {**{k: list(v) for k, v in encoding.items()}, "word_ids": word_ids}


def pack(rows, encoded, max_length, tokenizer):
    """Consecutive rows of one document joined into [CLS] ... [SEP] sequences of up to max_length tokens; a row too
    long for one sequence continues in the next (src/data/packing.ts planPacking)."""
    budget, sequences, piece_list, used, document = max_length - 2, [], [], 0, None

    def close():
        nonlocal piece_list, used
        if piece_list:
            sequences.append(piece_list)
        piece_list, used = [], 0

    for k, (row, enc) in enumerate(zip(rows, encoded)):
        n = len(enc["input_ids"]) - 2
        if n <= 0:
            continue
        if used > 0 and (row["document"] != document or used + n > budget):
            close()
        document, start = row["document"], 0
        while start < n:
            if used == budget:
                close()
            end = min(n, start + budget - used)
            piece_list.append((k, start, end))
            used, start = used + end - start, end
    close()
    return [assemble(pieces, encoded, tokenizer) for pieces in sequences]


def assemble(pieces, encoded, tokenizer):
    ids, word_ids, words = [tokenizer.cls_token_id], [-1], {}
    for k, start, end in pieces:
        for t in range(start + 1, end + 1):
            ids.append(encoded[k]["input_ids"][t])
            w = encoded[k]["word_ids"][t]
            word_ids.append(-1 if w < 0 else words.setdefault((k, w), len(words)))
    ids.append(tokenizer.sep_token_id)
    word_ids.append(-1)
    return {"input_ids": ids, "token_type_ids": [0] * len(ids), "attention_mask": [1] * len(ids), "word_ids": word_ids}


def examples(recipe, split, tokenizer):
    training = recipe["training"]
    rows = read_jsonl(os.path.join(HERE, recipe["data"][split]))
    if recipe["task"] != "mlm":
        return [{**encode(tokenizer, row, training["max_length"]), "labels": row["label"]} for row in rows]
    if not (training["pack_sequences"] and all("text_pair" not in row for row in rows)):
        return [encode(tokenizer, row, training["max_length"]) for row in rows]
    limit = max(training["max_length"], FULL_ENCODING_LIMIT)
    return pack(rows, [encode(tokenizer, row, limit) for row in rows], training["max_length"], tokenizer)


class Masking:
    """BERT's corruption as the studio draws it: per sequence exactly max(1, round(p * n)) of its n maskable tokens
    (whole words when asked; specials never), each then [MASK] 80%, a random ordinary token 10%, kept 10%."""

    def __init__(self, tokenizer, probability, whole_word, generator):
        self.tokenizer, self.probability, self.whole_word, self.generator = tokenizer, probability, whole_word, generator
        special = {tokenizer.pad_token_id, tokenizer.unk_token_id, tokenizer.cls_token_id, tokenizer.sep_token_id, tokenizer.mask_token_id}
        self.ordinary = torch.tensor([i for i in range(len(tokenizer)) if i not in special])

    def rand(self):
        return torch.rand((), generator=self.generator).item()

    def permutation(self, n):
        return torch.randperm(n, generator=self.generator).tolist()

    def __call__(self, example):
        words = {}
        for t, w in enumerate(example["word_ids"]):
            if w >= 0:
                words.setdefault(w, []).append(t)
        maskable = [t for positions in words.values() for t in positions]
        ids, labels = list(example["input_ids"]), [IGNORE_INDEX] * len(example["input_ids"])
        if not maskable:
            return {**example, "labels": labels}
        budget = max(1, math.floor(self.probability * len(maskable) + 0.5))
        chosen = self.whole_words(list(words.values()), budget) if self.whole_word else [maskable[i] for i in self.permutation(len(maskable))[:budget]]
        for t in sorted(chosen):
            labels[t] = ids[t]
            r = self.rand()
            if r < 0.8:
                ids[t] = self.tokenizer.mask_token_id
            elif r < 0.9:
                ids[t] = self.ordinary[torch.randint(len(self.ordinary), (), generator=self.generator)].item()
        return {**example, "input_ids": ids, "labels": labels}

    def whole_words(self, words, budget):
        order = [words[i] for i in self.permutation(len(words))]
        chosen = []
        for word in order:
            if len(chosen) >= budget:
                break
            if len(chosen) + len(word) <= budget:
                chosen += word
        return chosen or min(order, key=len)


class Collator:
    """Pads a batch; masked-LM training examples are masked afresh each time, validation ones keep fixed targets."""

    def __init__(self, pad_id, masking=None):
        self.pad_id, self.masking = pad_id, masking

    def __call__(self, features):
        if self.masking is not None and "labels" not in features[0]:
            features = [self.masking(f) for f in features]
        width = max(len(f["input_ids"]) for f in features)
        batch = {}
        for key, fill in (("input_ids", self.pad_id), ("token_type_ids", 0), ("attention_mask", 0)):
            if key in features[0]:
                batch[key] = torch.tensor([f[key] + [fill] * (width - len(f[key])) for f in features])
        labels = [f["labels"] for f in features]
        padded = [label + [IGNORE_INDEX] * (width - len(label)) for label in labels] if isinstance(labels[0], list) else labels
        batch["labels"] = torch.tensor(padded)
        return batch


# --- The run ------------------------------------------------------------------------------------------------------
class StudioTrainer(Trainer):
    """The Trainer with the studio's optimizer: per-group rates and decay (its AdamW is torch's), and its schedule.
    Overridden here rather than passed as `optimizers=`, which the Trainer refuses under DeepSpeed."""

    def __init__(self, *args, training, **kwargs):
        self.studio_training = training
        super().__init__(*args, **kwargs)

    def create_optimizer(self, model=None):
        # Newer Trainers pass the (possibly wrapped) model: the groups are named on the unwrapped one's parameters.
        if self.optimizer is None:
            training = self.studio_training
            groups = [{k: v for k, v in g.items() if k != "names"} for g in optimizer_groups(self.model, training)]
            betas = (training["adam_beta1"], training["adam_beta2"])
            self.optimizer = torch.optim.AdamW(groups, betas=betas, eps=training["adam_epsilon"])
        return self.optimizer

    def create_scheduler(self, num_training_steps, optimizer=None):
        if self.lr_scheduler is None:
            kind, warmup = self.studio_training["schedule"], self.studio_training["warmup_ratio"]
            self.lr_scheduler = torch.optim.lr_scheduler.LambdaLR(
                optimizer or self.optimizer, lambda step: lr_scale(step, num_training_steps, kind, warmup)
            )
        return self.lr_scheduler


def batch_plan(training, world_size):
    """Per-device batch and accumulation steps that keep the studio's effective batch (batch_size x accumulation)
    over world_size processes, with micro-batches no larger than the studio's."""
    effective = training["batch_size"] * training["gradient_accumulation_steps"]
    if effective % world_size:
        raise SystemExit(f"the studio's effective batch of {effective} does not divide over {world_size} processes: "
                         "launch a number of processes that divides it, or change batch_size in recipe.json")
    per_process = effective // world_size
    accumulation = math.ceil(per_process / training["batch_size"])
    while per_process % accumulation:
        accumulation += 1
    return per_process // accumulation, accumulation, effective


def run_length(recipe, num_train, effective):
    """Optimizer steps per epoch and in all, counted as the studio counts them; warns when this data differs."""
    training = recipe["training"]
    per_epoch = math.ceil(num_train / effective)
    total = training["max_steps"] or per_epoch * training["epochs"]
    studio = recipe["steps"]
    differs = num_train != recipe["data"]["train_examples"] or (per_epoch, total) != (studio["per_epoch"], studio["total"])
    if differs and os.environ.get("RANK", "0") == "0":
        print(f"note: the studio's run had {recipe['data']['train_examples']} training examples, {studio['per_epoch']} steps an "
              f"epoch and {studio['total']} in all; this data gives {num_train}, {per_epoch} and {total}, which this run follows")
    return per_epoch, total


def length_grouping():
    """Batches of rows of similar length, as the studio's length buckets make: transformers 5 renamed the switch."""
    names = {field.name for field in dataclasses.fields(TrainingArguments)}
    return {"train_sampling_strategy": "group_by_length"} if "train_sampling_strategy" in names else {"group_by_length": True}


def load_model(recipe, path):
    if recipe["task"] == "mlm":
        return AutoModelForMaskedLM.from_pretrained(path)
    labels = recipe["labels"]
    id2label = dict(enumerate(labels["id2label"]))
    return AutoModelForSequenceClassification.from_pretrained(
        path, num_labels=len(id2label), id2label=id2label, label2id={v: k for k, v in id2label.items()},
        problem_type=labels["problem_type"], ignore_mismatched_sizes=True,
    )


def describe_groups(model, recipe):
    """What --print-groups prints: the optimizer groups, which parameters train at step 0, the frozen groups in each
    unfreezing period, and the schedule's factor at each of the studio's steps."""
    training, num_layers = recipe["training"], layer_groups(model.config)
    start, every = freeze_schedule(training["freeze"], num_layers)
    apply_freeze(model, start)
    periods = 1 if every is None else len(unfreeze_units(num_layers)) + 1
    total = recipe["steps"]["total"]
    return {
        "groups": [{"group": g["group"], "decay": g["decay"], "lr": g["lr"], "weight_decay": g["weight_decay"], "params": g["names"]}
                   for g in optimizer_groups(model, training)],
        "requires_grad": {name: p.requires_grad for name, p in model.named_parameters()},
        "frozen_by_period": [sorted(frozen_in_period(start, p, num_layers)) for p in range(periods)],
        "lr_scale": [lr_scale(s, total, training["schedule"], training["warmup_ratio"]) for s in range(total)],
    }


def parse_cli(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--recipe", default=os.path.join(HERE, "recipe.json"))
    parser.add_argument("--model", help="a Hub id or folder to start from instead of the recipe's model/")
    parser.add_argument("--output-dir", default=os.path.join(HERE, "output"))
    parser.add_argument("--deepspeed", help="a DeepSpeed config, e.g. ds_zero2.json")
    parser.add_argument("--bf16", action="store_true", help="bfloat16 mixed precision (the studio trains in float32)")
    parser.add_argument("--report-to", default="none", help="tensorboard, wandb, ... (default none)")
    parser.add_argument("--logging-steps", type=int, default=10)
    parser.add_argument("--resume", action="store_true", help="continue from the last checkpoint in --output-dir")
    parser.add_argument("--print-groups", action="store_true", help="print the optimizer groups and freeze map as JSON, then exit")
    return parser.parse_args(argv)


def main(argv=None):
    cli = parse_cli(argv)
    recipe = load_recipe(cli.recipe)
    training = recipe["training"]
    set_seed(training["seed"])
    model = load_model(recipe, cli.model or os.path.join(HERE, recipe["model"]["path"]))
    if cli.print_groups:
        print(json.dumps(describe_groups(model, recipe)))
        return

    num_layers = layer_groups(model.config)
    start, every = freeze_schedule(training["freeze"], num_layers)
    if every is not None and cli.deepspeed:
        raise SystemExit("gradual unfreezing changes which parameters train as the run goes, which ZeRO's flattened "
                         "partitions cannot follow: run it without --deepspeed (DDP)")
    tokenizer = AutoTokenizer.from_pretrained(cli.model or os.path.join(HERE, recipe["model"]["path"]))
    train, validation = examples(recipe, "train", tokenizer), examples(recipe, "validation", tokenizer)
    world_size = int(os.environ.get("WORLD_SIZE", "1"))
    per_device, accumulation, effective = batch_plan(training, world_size)
    steps_per_epoch, total = run_length(recipe, len(train), effective)

    arguments = TrainingArguments(
        output_dir=cli.output_dir,
        per_device_train_batch_size=per_device,
        per_device_eval_batch_size=training["batch_size"],
        gradient_accumulation_steps=accumulation,
        max_steps=total,
        max_grad_norm=training["max_grad_norm"],
        seed=training["seed"],
        save_strategy="no",  # EvaluationSchedule saves where the studio evaluates
        save_total_limit=2,
        logging_steps=cli.logging_steps,
        report_to=cli.report_to,
        remove_unused_columns=False,
        gradient_checkpointing=training["gradient_checkpointing"],
        gradient_checkpointing_kwargs={"use_reentrant": False},  # frozen embeddings would stop reentrant checkpoints' gradients
        ddp_find_unused_parameters=True if every is not None else None,  # frozen groups get no gradient until unfrozen
        deepspeed=cli.deepspeed,
        bf16=cli.bf16,
        **length_grouping(),
    )
    if every is None:
        apply_freeze(model, start)
    masking = None
    if recipe["task"] == "mlm":
        def seeded(seed):
            return Masking(tokenizer, training["mlm_probability"], training["whole_word_masking"], torch.Generator().manual_seed(seed))

        masking = seeded(training["seed"] + arguments.process_index)
        fixed = seeded(training["seed"])  # one mask for every evaluation, so each scores the same targets
        validation = [fixed(example) for example in validation]
    callbacks = [EvaluationSchedule(training["eval_every"], steps_per_epoch)]
    if every is not None:
        callbacks.append(GradualUnfreezing(start, every, steps_per_epoch, num_layers))
    if training["early_stopping_patience"] > 0:
        callbacks.append(EarlyStopping(training["early_stopping_patience"], training["early_stopping_min_delta"]))
    trainer = StudioTrainer(
        model=model, args=arguments, train_dataset=train, eval_dataset=validation, processing_class=tokenizer,
        data_collator=Collator(tokenizer.pad_token_id, masking), callbacks=callbacks, training=training,
        compute_metrics=accuracy if recipe["task"] == "classify" and recipe["labels"]["problem_type"] != "regression" else None,
    )
    trainer.train(resume_from_checkpoint=True if cli.resume else None)
    trainer.save_model(cli.output_dir)


def accuracy(prediction):
    return {"accuracy": float((prediction.predictions.argmax(-1) == prediction.label_ids).mean())}


if __name__ == "__main__":
    main()
