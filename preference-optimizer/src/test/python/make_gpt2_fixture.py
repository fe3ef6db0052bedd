#!/usr/bin/env python3
"""Builds the tiny Hugging Face GPT-2 fixture of the preference-optimizer tests, or checks a saved copy of it.

    python3 make_gpt2_fixture.py            # writes ../resources/gpt2-tiny/
    python3 make_gpt2_fixture.py --check D  # loads folder D with transformers, compares with the expected log-probs

The fixture is a byte-level BPE tokenizer trained on the text below and a randomly initialized GPT2LMHeadModel,
saved with save_pretrained (safetensors) next to the tokenizer.json, plus expected-logprobs.jsonl: for each
prompt/response pair, the ids and the summed response log-probability computed by transformers under the convention
of io.prefpipe.optimizer.model.SequenceFormat for Hugging Face models:

  * prompt and response are tokenized separately, without special tokens, and the id lists concatenated;
  * if the result is longer than n_positions, the prompt loses tokens from its left, then the response from its right;
  * a prompt left without tokens is replaced by the BOS id, so the first response token has a context;
  * log p(response | prompt) = sum over response tokens of log softmax(logits at the previous position)[token].

Needs torch, transformers, tokenizers, safetensors.
"""

import argparse
import inspect
import json
import pathlib
import sys

import torch
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
from transformers import GPT2Config, GPT2LMHeadModel

HERE = pathlib.Path(__file__).resolve().parent
FIXTURE = HERE.parent / "resources" / "gpt2-tiny"
EXPECTED = "expected-logprobs.jsonl"
EOS = "<|endoftext|>"
SEED = 20240607

CORPUS = """
The quick brown fox jumps over the lazy dog. The cat sat on the mat, and the dog sat on the rug.
A preference dataset pairs a prompt with two responses, and a person says which response is better.
Direct preference optimization trains the policy to raise the log-probability of the chosen response
relative to a frozen reference policy, and to lower that of the rejected one.
Question: what is two plus two? Answer: four. Question: what colour is the sky? Answer: blue.
Once upon a time there was a small model that read the same short story again and again.
It learned that the story began with once upon a time and ended with the end.
Good answers are short, polite and correct; bad answers ramble, repeat themselves, or are rude.
Please summarise the following paragraph in one sentence. Thank you for your help!
The weather today is sunny with a light breeze; tomorrow it will rain in the morning.
Café, naïve, résumé and déjà vu are words English borrowed from French.
Numbers like 1, 2, 3, 10, 42 and 1000 appear in text too, as do symbols: #, $, %, & and @.
"""

# (prompt, response) pairs; the last ones exceed the 64-token context and exercise truncation
PAIRS = [
    ("The cat sat on", " the mat."),
    ("", "Hello world"),
    ("Question: what is two plus two?\nAnswer:", " four"),
    ("  leading spaces", "   and trailing   "),
    ("tabs\tand\nnew lines\n\n", "ok\n"),
    ("Café naïve résumé", " — déjà vu"),
    ("日本語のテキスト", "こんにちは 🙂"),
    ("A", "B"),
    ("The quick brown fox", " jumps over the lazy dog."),
    ("Please summarise the following paragraph in one sentence. The weather today is sunny",
     " with a light breeze; tomorrow it will rain in the morning."),
    (" ".join(["Once upon a time there was a small model that read the same short story again and again."] * 4),
     " It learned that the story ended with the end."),
    ("Answer briefly:",
     " ".join(["Good answers are short, polite and correct; bad answers ramble and repeat themselves."] * 4)),
]


def train_tokenizer():
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=400, min_frequency=2, special_tokens=[EOS],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tokenizer.train_from_iterator([line for line in CORPUS.splitlines() if line], trainer)
    return tokenizer


def build_model(vocab_size, eos_id):
    config = GPT2Config(vocab_size=vocab_size, n_positions=64, n_embd=32, n_layer=2, n_head=2, n_inner=64,
                        activation_function="gelu_new", layer_norm_epsilon=1e-5, resid_pdrop=0.0, embd_pdrop=0.0,
                        attn_pdrop=0.0, bos_token_id=eos_id, eos_token_id=eos_id)
    torch.manual_seed(SEED)
    model = GPT2LMHeadModel(config).float().eval()
    # GPT-2's own initialization (σ 0.02, zero biases, unit LayerNorm) gives near-uniform logits and leaves biases and
    # LayerNorm parameters at values that hide mapping mistakes; spread everything so a wrong tensor shows
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            if ".ln_" in name or name.startswith("transformer.ln_f"):
                base = 1.0 if name.endswith("weight") else 0.0
                parameter.copy_(base + 0.2 * torch.randn_like(parameter))
            else:
                parameter.normal_(0.0, 0.25)
    return model


def encode(tokenizer, prompt, response, context, bos_id):
    prompt_ids = tokenizer.encode(prompt, add_special_tokens=False).ids
    response_ids = tokenizer.encode(response, add_special_tokens=False).ids
    if not response_ids:
        raise ValueError(f"response {response!r} has no tokens")
    response_ids = response_ids[:context - 1]
    kept = min(len(prompt_ids), context - len(response_ids))
    prompt_ids = prompt_ids[len(prompt_ids) - kept:]
    if not prompt_ids:
        prompt_ids = [bos_id]
    return prompt_ids, response_ids


def response_log_prob(model, prompt_ids, response_ids):
    ids = torch.tensor([prompt_ids + response_ids])
    with torch.no_grad():
        logits = model(ids).logits[0].double()
    log_probs = torch.log_softmax(logits, dim=-1)
    start = len(prompt_ids)
    return sum(log_probs[t - 1, ids[0, t]].item() for t in range(start, ids.shape[1]))


def save_pretrained(model, folder):
    if "safe_serialization" in inspect.signature(model.save_pretrained).parameters:
        model.save_pretrained(folder, safe_serialization=True)
    else:  # transformers 5 writes only safetensors
        model.save_pretrained(folder)


def make():
    FIXTURE.mkdir(parents=True, exist_ok=True)
    tokenizer = train_tokenizer()
    eos_id = tokenizer.token_to_id(EOS)
    model = build_model(tokenizer.get_vocab_size(), eos_id)
    save_pretrained(model, FIXTURE)
    tokenizer.save(str(FIXTURE / "tokenizer.json"))
    context = model.config.n_positions
    with open(FIXTURE / EXPECTED, "w", encoding="utf-8") as out:
        for prompt, response in PAIRS:
            prompt_ids, response_ids = encode(tokenizer, prompt, response, context, model.config.bos_token_id)
            log_prob = response_log_prob(model, prompt_ids, response_ids)
            out.write(json.dumps({"prompt": prompt, "response": response, "prompt_ids": prompt_ids,
                                  "response_ids": response_ids, "tokens": len(response_ids),
                                  "log_prob": log_prob}, ensure_ascii=False) + "\n")
    size = sum(f.stat().st_size for f in FIXTURE.iterdir())
    print(f"wrote {FIXTURE} ({size} bytes, vocab {tokenizer.get_vocab_size()}, eos {eos_id})")


def check(folder):
    folder = pathlib.Path(folder)
    model = GPT2LMHeadModel.from_pretrained(folder).float().eval()
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    worst = 0.0
    with open(FIXTURE / EXPECTED, encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            prompt_ids, response_ids = encode(tokenizer, row["prompt"], row["response"], model.config.n_positions,
                                              model.config.bos_token_id)
            if prompt_ids != row["prompt_ids"] or response_ids != row["response_ids"]:
                sys.exit(f"tokenization of {row['prompt']!r} / {row['response']!r} differs")
            log_prob = response_log_prob(model, prompt_ids, response_ids)
            error = abs(log_prob - row["log_prob"])
            worst = max(worst, error)
            if error > 2e-4 + 2e-6 * abs(row["log_prob"]):
                sys.exit(f"{row['prompt']!r} / {row['response']!r}: {log_prob} != expected {row['log_prob']}")
    print(f"transformers opened {folder}: all log-probs match (largest difference {worst:.2e})")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", metavar="DIR", help="compare a saved model folder with the expected log-probs")
    args = parser.parse_args()
    if args.check:
        check(args.check)
    else:
        make()


if __name__ == "__main__":
    main()
