"""The DPO training step of `prefpipe bench train`, in plain PyTorch, for a side-by-side timing.

It mirrors prefpipe's TransformerPolicy op for op (learned positions, pre-LayerNorm blocks, fused QKV projection,
causal scaled_dot_product_attention, GELU MLP, output head tied to the token embedding and run only on the scored
positions), the DPO loss against precomputed reference log-probabilities, global-norm gradient clipping and the fused
AdamW, on the same shapes and with the same number of intra-op threads.

Usage: python3 torch_dpo_step.py '<json config>'. It builds the model, prints one JSON line (torch version, threads,
parameter count), then answers each line on stdin with one JSON line: "step" takes one optimizer step and prints its
wall and thread CPU seconds; "gemm <n> <runs>" prints the best fp32 FLOP/s of that many products of two n x n
matrices, made (with one untimed product) at the first "gemm" of that n. The caller alternates these steps with its
own, so both run under the same load of a shared machine.
"""
import json
import math
import sys
import time

import torch
import torch.nn.functional as F


class Block(torch.nn.Module):
    def __init__(self, c, heads, mlp, activation):
        super().__init__()
        self.heads = heads
        self.ln1 = torch.nn.LayerNorm(c)
        self.qkv = torch.nn.Linear(c, 3 * c)
        self.proj = torch.nn.Linear(c, c)
        self.ln2 = torch.nn.LayerNorm(c)
        self.fc = torch.nn.Linear(c, mlp)
        self.out = torch.nn.Linear(mlp, c)
        self.approximate = "tanh" if activation == "gelu_new" else "none"

    def forward(self, x):
        b, t, c = x.shape
        d = c // self.heads
        q, k, v = self.qkv(self.ln1(x)).split(c, dim=2)
        q = q.view(b, t, self.heads, d).transpose(1, 2)
        k = k.view(b, t, self.heads, d).transpose(1, 2)
        v = v.view(b, t, self.heads, d).transpose(1, 2)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True).transpose(1, 2).reshape(b, t, c)
        x = x + self.proj(y)
        return x + self.out(F.gelu(self.fc(self.ln2(x)), approximate=self.approximate))


class Policy(torch.nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.wte = torch.nn.Parameter(torch.randn(cfg["vocab"], cfg["width"]) * 0.02)
        self.wpe = torch.nn.Parameter(torch.randn(cfg["context"], cfg["width"]) * 0.02)
        self.blocks = torch.nn.ModuleList(
            Block(cfg["width"], cfg["heads"], cfg["mlp"], cfg["activation"]) for _ in range(cfg["layers"]))
        self.ln_f = torch.nn.LayerNorm(cfg["width"])

    def forward(self, tokens, scored):
        t = tokens.shape[1]
        x = self.wte[tokens] + self.wpe[:t]
        for block in self.blocks:
            x = block(x)
        h = self.ln_f(x)
        return h.reshape(-1, h.shape[2])[scored] @ self.wte.t()


def main():
    cfg = json.loads(sys.argv[1])
    torch.set_num_threads(cfg["threads"])
    torch.manual_seed(cfg["seed"])
    policy = Policy(cfg)
    optimizer = torch.optim.AdamW(policy.parameters(), lr=1e-4, weight_decay=0.0, fused=True)
    rows, length = 2 * cfg["pairs"], cfg["tokens"]
    tokens = torch.randint(0, cfg["vocab"], (rows, length))
    inputs, targets = tokens[:, :-1].contiguous(), tokens[:, 1:].contiguous()
    mask = torch.zeros(rows, length - 1)
    mask[:, cfg["prompt_tokens"] - 1:] = 1.0
    ref = torch.randn(rows) - 50.0
    beta = 0.1

    def step():
        scored = mask.reshape(-1).nonzero().reshape(-1)
        logits = policy(inputs, scored)
        picked = logits.log_softmax(1).gather(1, targets.reshape(-1)[scored].unsqueeze(1)).reshape(-1)
        logps = (torch.zeros(mask.numel()).put(scored, picked).reshape(mask.shape) * mask).sum(1)
        pairs = cfg["pairs"]
        h = (logps[:pairs] - ref[:pairs]) - (logps[pairs:] - ref[pairs:])
        loss = F.softplus(-beta * h).mean()
        optimizer.zero_grad(set_to_none=False)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(policy.parameters(), 1.0)
        optimizer.step()
        return loss.item()

    def reply(**fields):
        print(json.dumps(fields), flush=True)

    matrices = {}
    reply(torch=torch.__version__, threads=torch.get_num_threads(),
          parameters=sum(p.numel() for p in policy.parameters()))
    for line in sys.stdin:
        command = line.split()
        if command == ["step"]:
            # thread time, as on the JVM side: with one intra-op thread the step computes on this thread
            start, start_cpu = time.perf_counter(), time.thread_time()
            step()
            reply(wall_seconds=time.perf_counter() - start, cpu_seconds=time.thread_time() - start_cpu)
        elif len(command) == 3 and command[0] == "gemm":
            n, runs = int(command[1]), int(command[2])
            if n not in matrices:
                # made once, with one untimed product, so that a GEMM between steps times the product alone
                matrices[n] = torch.randn(n, n), torch.randn(n, n)
                matrices[n][0] @ matrices[n][1]
            a, b = matrices[n]
            best = math.inf
            for _ in range(runs):
                start = time.perf_counter()
                a @ b
                best = min(best, time.perf_counter() - start)
            reply(gemm_flops=2.0 * n ** 3 / best)
        else:
            raise ValueError("unknown command: " + line)


if __name__ == "__main__":
    main()
