/** The recipe's README: its files, the commands, what maps to what, and what does not repeat bit for bit. */
import { RECIPE_PATHS, type RecipeConfig } from './config';

function taskName(config: RecipeConfig): string {
  if (config.task === 'mlm') return 'masked-LM fine-tuning';
  return config.labels?.problem_type === 'regression' ? 'regression' : `classification into ${config.labels?.id2label.length} labels`;
}

export function recipeReadme(config: RecipeConfig): string {
  const { data, steps } = config;
  return `# Train at scale: ${taskName(config)} from ${config.model.id}

This folder repeats a BERT Studio run with the Hugging Face \`transformers\` Trainer, on one GPU, every GPU of a machine
or many machines: the same checkpoint, the same split (${data.train_examples} training and ${data.validation_examples}
validation examples), every setting of the run, and ${steps.total} optimizer steps (${steps.per_epoch} an epoch) as the
studio counted them. To train on more data, add rows to \`${RECIPE_PATHS.train}\`: the steps then follow the data by the same
rule (examples ÷ effective batch, rounded up, per epoch), and \`train.py\` says how its counts differ from the studio's.

| file | what it is |
| --- | --- |
| \`train.py\` | the run: the studio's optimizer groups, schedule, freezing, evaluation and early stopping on the Trainer |
| \`recipe.json\` | the task, the labels, every training setting, and the studio's example and step counts |
| \`${RECIPE_PATHS.train}\`, \`${RECIPE_PATHS.validation}\` | the studio's split: the same rows in the same order, labels as class ids (or regression targets) |
| \`${RECIPE_PATHS.model}/\` | the checkpoint the run started from, as \`from_pretrained\` loads it |
| \`ds_zero2.json\` | a DeepSpeed ZeRO-2 config for \`--deepspeed\` |
| \`requirements.txt\` | what \`train.py\` needs (\`transformers\` 4.46 or later) |

## Commands

\`\`\`sh
pip install -r requirements.txt         # after a CUDA build of PyTorch, where pip would not pick one
python train.py --print-groups          # the optimizer groups, learning rates and freeze map as JSON; trains nothing
accelerate launch train.py              # every GPU of this machine (\`accelerate config\` once to choose them)
accelerate launch --multi_gpu --num_machines 2 --machine_rank 0 --num_processes 16 \\
  --main_process_ip HOST --main_process_port 29500 train.py   # node 0 of two with 8 GPUs each; --machine_rank 1 on the other
accelerate launch train.py --deepspeed ds_zero2.json          # DeepSpeed ZeRO-2 (pip install deepspeed)
python train.py                         # one process: one GPU, or the CPU
\`\`\`

The fine-tuned model (and tokenizer) lands in \`output/\` (\`--output-dir\`), which the studio and \`from_pretrained\` load;
a checkpoint is kept at each evaluation and \`--resume\` continues from the last. \`--model ID\` starts from a Hub model
(or another folder) instead of \`${RECIPE_PATHS.model}/\`; \`--bf16\` trains in bfloat16; \`--report-to tensorboard\` (or wandb, …) logs
there.

## What maps to what

| studio | here |
| --- | --- |
| task and labels | \`AutoModelForSequenceClassification\` with \`id2label\` and \`problem_type\`, or \`AutoModelForMaskedLM\` |
| learning rate, layer-wise decay, head multiplier | one AdamW parameter group per part of the network (embeddings, each layer, pooler, head) and decay, each at its rate: \`StudioTrainer.create_optimizer\` |
| weight decay | on tensors of 2 or more dimensions only, as the studio's rule (its \`training_args.json\` prints it) |
| AdamW β1, β2, ε | \`torch.optim.AdamW\`, whose update the studio's is |
| schedule and warmup | a \`LambdaLR\` with the studio's factor (its warmup is one step ahead of \`get_linear_schedule_with_warmup\`'s) |
| batch size × accumulation | kept as the effective batch over all processes: each device takes at most the studio's batch and accumulates the rest; the number of processes must divide the effective batch |
| epochs, max steps | \`max_steps\` from the studio's rule |
| gradient clipping | \`max_grad_norm\` (\`gradient_clipping: auto\` under DeepSpeed) |
| freezing | \`requires_grad = False\` on the frozen groups (the same groups as the studio's freeze map) |
| gradual unfreezing | the \`GradualUnfreezing\` callback, before each optimizer step; DDP looks for unused parameters then |
| evaluation every N steps or each epoch | the \`EvaluationSchedule\` callback, at the studio's steps (and the last), with a checkpoint |
| early stopping: patience, min delta, best weights | the \`EarlyStopping\` callback: the studio's rule; the best evaluation's weights are put back at the end |
| max length, text pairs | the tokenizer, truncating the longest of a pair first |
| masked-LM probability, whole-word masking | the \`Masking\` collator: exactly max(1, round(p·n)) of a sequence's n tokens, 80% [MASK], 10% random, 10% kept; a fixed mask for validation |
| packing lines into full sequences | \`pack\`: the studio's rule, rows of one document joined into sequences of up to the max length |
| seed | \`set_seed\` and \`TrainingArguments.seed\`; the masking draws |
| gradient checkpointing | \`gradient_checkpointing\` (non-reentrant, so frozen embeddings do not stop gradients) |
| validation share | recorded; the split is already made |

## What does not repeat bit for bit

- **Random draws.** PyTorch's generators are not the studio's: the new head's initial weights, dropout, the order of
  the examples and which of them share a batch (the Trainer's length-grouped sampler stands in for the studio's length
  buckets), and the masked tokens all differ. Losses agree in distribution, not step for step.
- **Arithmetic.** CUDA float32 (bfloat16 with \`--bf16\`) sums in another order than the browser's WebGPU or wasm kernels.
- **Gradual unfreezing under DeepSpeed.** ZeRO flattens the parameters it is given at the start and cannot take more
  in later, so \`train.py\` refuses \`--deepspeed\` with gradual unfreezing; it runs under DDP.
- **\`--resume\`.** A resumed run's early stopping starts afresh: the best loss and weights before the resume are not kept.
`;
}
