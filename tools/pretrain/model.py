"""BERT for masked-language modelling in PyTorch, module for module as Hugging Face's modeling_bert.

Attribute names equal the Hugging Face ones, so `state_dict()` keys are the names BertForMaskedLM saves
(`bert.embeddings.word_embeddings.weight`, ..., `cls.predictions.bias`). Post-LN blocks, exact (erf) GELU,
LayerNorm eps 1e-12, MLM decoder tied to the word embeddings with its own bias. The attention mask is additive
with `torch.finfo(dtype).min` at padded keys, as current transformers releases do (older ones used -10000;
after softmax both give exactly zero weight to padded keys in float32).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import torch
from torch import Tensor, nn
from torch.nn import functional as F


@dataclass(frozen=True)
class BertConfig:
    vocab_size: int
    hidden_size: int = 128
    num_hidden_layers: int = 2
    num_attention_heads: int = 2
    intermediate_size: int = 512
    max_position_embeddings: int = 128
    type_vocab_size: int = 2
    hidden_dropout_prob: float = 0.1
    attention_probs_dropout_prob: float = 0.1
    layer_norm_eps: float = 1e-12
    initializer_range: float = 0.02
    pad_token_id: int = 0

    def __post_init__(self) -> None:
        if self.hidden_size % self.num_attention_heads:
            raise ValueError(f"hidden_size {self.hidden_size} not divisible by heads {self.num_attention_heads}")

    def to_hf(self) -> dict[str, Any]:
        """config.json contents as transformers writes them for BertForMaskedLM."""
        return {
            "architectures": ["BertForMaskedLM"],
            "model_type": "bert",
            **asdict(self),
            "hidden_act": "gelu",
            "position_embedding_type": "absolute",
            "classifier_dropout": None,
            "use_cache": True,
            "torch_dtype": "float32",
        }

    @classmethod
    def from_hf(cls, raw: dict[str, Any]) -> "BertConfig":
        if raw.get("model_type") != "bert" or raw.get("hidden_act") != "gelu":
            raise ValueError("only model_type 'bert' with hidden_act 'gelu' is supported")
        return cls(**{name: raw[name] for name in cls.__dataclass_fields__})


class BertEmbeddings(nn.Module):
    def __init__(self, c: BertConfig) -> None:
        super().__init__()
        self.word_embeddings = nn.Embedding(c.vocab_size, c.hidden_size, padding_idx=c.pad_token_id)
        self.position_embeddings = nn.Embedding(c.max_position_embeddings, c.hidden_size)
        self.token_type_embeddings = nn.Embedding(c.type_vocab_size, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.dropout = nn.Dropout(c.hidden_dropout_prob)

    def forward(self, input_ids: Tensor, token_type_ids: Tensor) -> Tensor:
        positions = torch.arange(input_ids.shape[1], device=input_ids.device)  # [seq]
        x = self.word_embeddings(input_ids) + self.token_type_embeddings(token_type_ids)  # [batch, seq, hidden]
        x = x + self.position_embeddings(positions)  # [batch, seq, hidden]
        return self.dropout(self.LayerNorm(x))


class BertSelfAttention(nn.Module):
    def __init__(self, c: BertConfig) -> None:
        super().__init__()
        self.heads = c.num_attention_heads
        self.head_dim = c.hidden_size // c.num_attention_heads
        self.query = nn.Linear(c.hidden_size, c.hidden_size)
        self.key = nn.Linear(c.hidden_size, c.hidden_size)
        self.value = nn.Linear(c.hidden_size, c.hidden_size)
        self.dropout = nn.Dropout(c.attention_probs_dropout_prob)

    def _split_heads(self, x: Tensor) -> Tensor:
        batch, seq, _ = x.shape
        return x.view(batch, seq, self.heads, self.head_dim).transpose(1, 2)  # [batch, heads, seq, headDim]

    def forward(self, x: Tensor, additive_mask: Tensor) -> Tensor:
        q, k, v = self._split_heads(self.query(x)), self._split_heads(self.key(x)), self._split_heads(self.value(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.head_dim)  # [batch, heads, seq, seq]
        probs = self.dropout(torch.softmax(scores + additive_mask, dim=-1))  # [batch, heads, seq, seq]
        context = probs @ v  # [batch, heads, seq, headDim]
        batch, _, seq, _ = context.shape
        return context.transpose(1, 2).reshape(batch, seq, -1)  # [batch, seq, hidden]


class BertSelfOutput(nn.Module):
    def __init__(self, c: BertConfig) -> None:
        super().__init__()
        self.dense = nn.Linear(c.hidden_size, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.dropout = nn.Dropout(c.hidden_dropout_prob)

    def forward(self, x: Tensor, residual: Tensor) -> Tensor:
        return self.LayerNorm(self.dropout(self.dense(x)) + residual)


class BertAttention(nn.Module):
    def __init__(self, c: BertConfig) -> None:
        super().__init__()
        self.self = BertSelfAttention(c)
        self.output = BertSelfOutput(c)

    def forward(self, x: Tensor, additive_mask: Tensor) -> Tensor:
        return self.output(self.self(x, additive_mask), x)


class BertIntermediate(nn.Module):
    def __init__(self, c: BertConfig) -> None:
        super().__init__()
        self.dense = nn.Linear(c.hidden_size, c.intermediate_size)

    def forward(self, x: Tensor) -> Tensor:
        return F.gelu(self.dense(x))  # [batch, seq, intermediate]


class BertOutput(nn.Module):
    def __init__(self, c: BertConfig) -> None:
        super().__init__()
        self.dense = nn.Linear(c.intermediate_size, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.dropout = nn.Dropout(c.hidden_dropout_prob)

    def forward(self, x: Tensor, residual: Tensor) -> Tensor:
        return self.LayerNorm(self.dropout(self.dense(x)) + residual)  # [batch, seq, hidden]


class BertLayer(nn.Module):
    def __init__(self, c: BertConfig) -> None:
        super().__init__()
        self.attention = BertAttention(c)
        self.intermediate = BertIntermediate(c)
        self.output = BertOutput(c)

    def forward(self, x: Tensor, additive_mask: Tensor) -> Tensor:
        attended = self.attention(x, additive_mask)
        return self.output(self.intermediate(attended), attended)


class BertEncoder(nn.Module):
    def __init__(self, c: BertConfig) -> None:
        super().__init__()
        self.layer = nn.ModuleList(BertLayer(c) for _ in range(c.num_hidden_layers))

    def forward(self, x: Tensor, additive_mask: Tensor) -> Tensor:
        for layer in self.layer:
            x = layer(x, additive_mask)
        return x


class BertPooler(nn.Module):
    def __init__(self, c: BertConfig) -> None:
        super().__init__()
        self.dense = nn.Linear(c.hidden_size, c.hidden_size)

    def forward(self, x: Tensor) -> Tensor:
        return torch.tanh(self.dense(x[:, 0]))  # [batch, hidden]


class BertModel(nn.Module):
    def __init__(self, c: BertConfig) -> None:
        super().__init__()
        self.embeddings = BertEmbeddings(c)
        self.encoder = BertEncoder(c)
        self.pooler = BertPooler(c)

    def forward(self, input_ids: Tensor, attention_mask: Tensor, token_type_ids: Tensor) -> Tensor:
        """Last hidden states [batch, seq, hidden]; the pooler is kept for export but MLM does not use it."""
        blocked = (1.0 - attention_mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
        return self.encoder(self.embeddings(input_ids, token_type_ids), blocked)  # blocked: [batch, 1, 1, seq]


class BertPredictionHeadTransform(nn.Module):
    def __init__(self, c: BertConfig) -> None:
        super().__init__()
        self.dense = nn.Linear(c.hidden_size, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)

    def forward(self, x: Tensor) -> Tensor:
        return self.LayerNorm(F.gelu(self.dense(x)))


class BertLMPredictionHead(nn.Module):
    def __init__(self, c: BertConfig) -> None:
        super().__init__()
        self.transform = BertPredictionHeadTransform(c)
        self.decoder = nn.Linear(c.hidden_size, c.vocab_size, bias=False)  # tied by BertForMaskedLM
        self.bias = nn.Parameter(torch.zeros(c.vocab_size))

    def forward(self, x: Tensor) -> Tensor:
        return self.decoder(self.transform(x)) + self.bias  # [..., vocab]


class BertOnlyMLMHead(nn.Module):
    def __init__(self, c: BertConfig) -> None:
        super().__init__()
        self.predictions = BertLMPredictionHead(c)

    def forward(self, x: Tensor) -> Tensor:
        return self.predictions(x)


class BertForMaskedLM(nn.Module):
    def __init__(self, c: BertConfig) -> None:
        super().__init__()
        self.config = c
        self.bert = BertModel(c)
        self.cls = BertOnlyMLMHead(c)
        self.apply(self._init_weights)
        # Tie after initialising, as HF does, so the [PAD] row of the embeddings stays zero.
        self.cls.predictions.decoder.weight = self.bert.embeddings.word_embeddings.weight

    def _init_weights(self, module: nn.Module) -> None:
        """HF's BertPreTrainedModel._init_weights: N(0, 0.02) weights, zero biases, zero padding row."""
        std = self.config.initializer_range
        if isinstance(module, nn.Linear):
            nn.init.normal_(module.weight, std=std)
            if module.bias is not None:
                nn.init.zeros_(module.bias)
        elif isinstance(module, nn.Embedding):
            nn.init.normal_(module.weight, std=std)
            if module.padding_idx is not None:
                with torch.no_grad():
                    module.weight[module.padding_idx].zero_()
        elif isinstance(module, nn.LayerNorm):
            nn.init.ones_(module.weight)
            nn.init.zeros_(module.bias)

    def forward(
        self, input_ids: Tensor, attention_mask: Tensor, token_type_ids: Tensor, positions: Tensor | None = None
    ) -> Tensor:
        """MLM logits: [batch, seq, vocab], or [n, vocab] at the flat positions given (saves the big matmul)."""
        hidden = self.bert(input_ids, attention_mask, token_type_ids)  # [batch, seq, hidden]
        if positions is not None:
            hidden = hidden.reshape(-1, hidden.shape[-1])[positions]  # [n, hidden]
        return self.cls(hidden)

    def hf_state_dict(self) -> dict[str, Tensor]:
        """Tensors under HF names, without the tied decoder weight (HF re-ties it on load)."""
        return {k: v for k, v in self.state_dict().items() if k != "cls.predictions.decoder.weight"}

    def load_hf_state_dict(self, tensors: dict[str, Tensor]) -> None:
        """Load HF-named tensors, failing loudly on a missing, unexpected or mis-shaped tensor."""
        expected = self.hf_state_dict()
        tensors = {k: v for k, v in tensors.items() if k != "cls.predictions.decoder.weight"}
        missing = sorted(set(expected) - set(tensors))
        unexpected = sorted(set(tensors) - set(expected))
        if missing or unexpected:
            raise ValueError(f"weights do not match the model: missing {missing}, unexpected {unexpected}")
        for name, tensor in tensors.items():
            if tuple(tensor.shape) != tuple(expected[name].shape):
                raise ValueError(f"{name}: shape {tuple(tensor.shape)}, model expects {tuple(expected[name].shape)}")
        self.load_state_dict(tensors, strict=False)
