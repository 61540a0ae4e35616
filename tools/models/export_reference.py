#!/usr/bin/python3
"""Reference model export for WalkScope stage 2 (Debian python3-torch 1.13, CPU).

Builds the paper's 3D CNNs with pytorchvideo-compatible parameter names, so a
Walk_Video_PyTorch Lightning checkpoint (state_dict keys prefixed "model.") loads into them,
and exports an ONNX model bundle (model.onnx + manifest.json with the model's SHA-256).

  slow_r50   ResNet3D "slow" (depth 50/101/152), pytorchvideo create_resnet naming
  x3d        X3D (xs, s, m), pytorchvideo create_x3d naming

Without --checkpoint the weights are random and the manifest says validated: false. No
trained ASD model exists in public; none is invented here.

Modes:
  export            --arch ... --out DIR [--reference-io]   bundle (+ reference input/output)
  preprocess-ref    --video FILE --out DIR                  reference preprocessing of a real clip
  bench             --arch ... --frames T                   ms per clip with PyTorch (prints JSON)
"""
import argparse
import datetime
import gzip
import hashlib
import json
import math
import struct
import sys
import time
from pathlib import Path

import torch
from torch import nn

# ---------------------------------------------------------------- ResNet3D (slow_r50 family)


class ResNetBasicStem(nn.Module):
    def __init__(self, out_ch, kernel, stride, padding):
        super().__init__()
        self.conv = nn.Conv3d(3, out_ch, kernel, stride=stride, padding=padding, bias=False)
        self.norm = nn.BatchNorm3d(out_ch, eps=1e-5, momentum=0.1)
        self.activation = nn.ReLU()
        self.pool = nn.MaxPool3d(kernel_size=(1, 3, 3), stride=(1, 2, 2), padding=(0, 1, 1))

    def forward(self, x):
        return self.pool(self.activation(self.norm(self.conv(x))))


class BottleneckBlock(nn.Module):
    def __init__(self, dim_in, dim_inner, dim_out, temporal_kernel, spatial_stride):
        super().__init__()
        self.conv_a = nn.Conv3d(dim_in, dim_inner, (temporal_kernel, 1, 1), padding=(temporal_kernel // 2, 0, 0), bias=False)
        self.norm_a = nn.BatchNorm3d(dim_inner)
        self.act_a = nn.ReLU()
        self.conv_b = nn.Conv3d(dim_inner, dim_inner, (1, 3, 3), stride=(1, spatial_stride, spatial_stride), padding=(0, 1, 1), bias=False)
        self.norm_b = nn.BatchNorm3d(dim_inner)
        self.act_b = nn.ReLU()
        self.conv_c = nn.Conv3d(dim_inner, dim_out, (1, 1, 1), bias=False)
        self.norm_c = nn.BatchNorm3d(dim_out)

    def forward(self, x):
        x = self.act_a(self.norm_a(self.conv_a(x)))
        x = self.act_b(self.norm_b(self.conv_b(x)))
        return self.norm_c(self.conv_c(x))


class ResBlock(nn.Module):
    def __init__(self, dim_in, dim_inner, dim_out, temporal_kernel, spatial_stride):
        super().__init__()
        needs_branch1 = dim_in != dim_out or spatial_stride != 1
        self.branch1_conv = nn.Conv3d(dim_in, dim_out, 1, stride=(1, spatial_stride, spatial_stride), bias=False) if needs_branch1 else None
        self.branch1_norm = nn.BatchNorm3d(dim_out) if needs_branch1 else None
        self.branch2 = BottleneckBlock(dim_in, dim_inner, dim_out, temporal_kernel, spatial_stride)
        self.activation = nn.ReLU()

    def forward(self, x):
        shortcut = self.branch1_norm(self.branch1_conv(x)) if self.branch1_conv is not None else x
        return self.activation(shortcut + self.branch2(x))


class ResStage(nn.Module):
    def __init__(self, depth, dim_in, dim_inner, dim_out, temporal_kernel, spatial_stride):
        super().__init__()
        self.res_blocks = nn.ModuleList(
            [ResBlock(dim_in if i == 0 else dim_out, dim_inner, dim_out, temporal_kernel, spatial_stride if i == 0 else 1) for i in range(depth)]
        )

    def forward(self, x):
        for block in self.res_blocks:
            x = block(x)
        return x


class ResNetBasicHead(nn.Module):
    """pytorchvideo's head; Walk_Video_PyTorch replaces proj with Linear(2048, 1)."""

    def __init__(self, dim_in, pool_kernel, num_outputs):
        super().__init__()
        self.pool = nn.AvgPool3d(pool_kernel, stride=(1, 1, 1))
        self.dropout = nn.Dropout(0.5)
        self.proj = nn.Linear(dim_in, num_outputs)
        self.output_pool = nn.AdaptiveAvgPool3d(1)

    def forward(self, x):
        x = self.dropout(self.pool(x))
        x = self.proj(x.permute(0, 2, 3, 4, 1))
        x = x.permute(0, 4, 1, 2, 3)
        return self.output_pool(x).view(x.shape[0], -1)


class Net(nn.Module):
    def __init__(self, blocks):
        super().__init__()
        self.blocks = nn.ModuleList(blocks)

    def forward(self, x):
        for block in self.blocks:
            x = block(x)
        return x


def slow_resnet(depth=50, width_scale=1.0, frames=8, size=224):
    stage_depths = {50: (3, 4, 6, 3), 101: (3, 4, 23, 3), 152: (3, 8, 36, 3)}[depth]
    w = lambda c: max(4, int(round(c * width_scale)))
    stem_out = w(64)
    blocks = [ResNetBasicStem(stem_out, (1, 7, 7), (1, 2, 2), (0, 3, 3))]
    dim_in = stem_out
    # slow pathway: temporal kernel 1 in res2/res3, 3 in res4/res5; spatial strides 1, 2, 2, 2
    for i, (d, tk, stride) in enumerate(zip(stage_depths, (1, 1, 3, 3), (1, 2, 2, 2))):
        dim_inner = w(64 * 2**i)
        dim_out = w(256 * 2**i)
        blocks.append(ResStage(d, dim_in, dim_inner, dim_out, tk, stride))
        dim_in = dim_out
    spatial = size // 32
    blocks.append(ResNetBasicHead(dim_in, (frames, spatial, spatial), 1))
    return Net(blocks)


# ---------------------------------------------------------------- X3D


class Swish(nn.Module):
    def forward(self, x):
        return x * torch.sigmoid(x)


class SqueezeExcitation(nn.Module):
    def __init__(self, channels, ratio=0.0625):
        super().__init__()
        inner = max(8, int(round(channels * ratio / 8)) * 8)
        self.block = nn.Sequential(nn.AdaptiveAvgPool3d(1), nn.Conv3d(channels, inner, 1), nn.ReLU(), nn.Conv3d(inner, channels, 1), nn.Sigmoid())

    def forward(self, x):
        return x * self.block(x)


class X3DStem(nn.Module):
    def __init__(self, out_ch, temporal_kernel=5):
        super().__init__()
        self.conv = nn.Module()
        self.conv.conv_t = nn.Conv3d(3, out_ch, (1, 3, 3), stride=(1, 2, 2), padding=(0, 1, 1), bias=False)
        self.conv.conv_xy = nn.Conv3d(out_ch, out_ch, (temporal_kernel, 1, 1), padding=(temporal_kernel // 2, 0, 0), groups=out_ch, bias=False)
        self.norm = nn.BatchNorm3d(out_ch)
        self.activation = nn.ReLU()

    def forward(self, x):
        return self.activation(self.norm(self.conv.conv_xy(self.conv.conv_t(x))))


class X3DBottleneck(nn.Module):
    def __init__(self, dim_in, dim_inner, dim_out, stride, use_se):
        super().__init__()
        self.conv_a = nn.Conv3d(dim_in, dim_inner, 1, bias=False)
        self.norm_a = nn.BatchNorm3d(dim_inner)
        self.act_a = nn.ReLU()
        self.conv_b = nn.Conv3d(dim_inner, dim_inner, 3, stride=(1, stride, stride), padding=1, groups=dim_inner, bias=False)
        self.norm_b = nn.Sequential(nn.BatchNorm3d(dim_inner), SqueezeExcitation(dim_inner) if use_se else nn.Identity())
        self.act_b = Swish()
        self.conv_c = nn.Conv3d(dim_inner, dim_out, 1, bias=False)
        self.norm_c = nn.BatchNorm3d(dim_out)

    def forward(self, x):
        x = self.act_a(self.norm_a(self.conv_a(x)))
        x = self.act_b(self.norm_b(self.conv_b(x)))
        return self.norm_c(self.conv_c(x))


class X3DResBlock(nn.Module):
    def __init__(self, dim_in, dim_inner, dim_out, stride, use_se):
        super().__init__()
        needs_branch1 = dim_in != dim_out or stride != 1
        self.branch1_conv = nn.Conv3d(dim_in, dim_out, 1, stride=(1, stride, stride), bias=False) if needs_branch1 else None
        self.branch1_norm = nn.BatchNorm3d(dim_out) if needs_branch1 else None
        self.branch2 = X3DBottleneck(dim_in, dim_inner, dim_out, stride, use_se)
        self.activation = nn.ReLU()

    def forward(self, x):
        shortcut = self.branch1_norm(self.branch1_conv(x)) if self.branch1_conv is not None else x
        return self.activation(shortcut + self.branch2(x))


class X3DStage(nn.Module):
    def __init__(self, depth, dim_in, dim_inner, dim_out, stride):
        super().__init__()
        self.res_blocks = nn.ModuleList(
            [X3DResBlock(dim_in if i == 0 else dim_out, dim_inner, dim_out, stride if i == 0 else 1, use_se=(i % 2 == 0)) for i in range(depth)]
        )

    def forward(self, x):
        for block in self.res_blocks:
            x = block(x)
        return x


class X3DHead(nn.Module):
    def __init__(self, dim_in, dim_inner, dim_out, pool_kernel):
        super().__init__()
        self.pool = nn.Module()
        self.pool.pre_conv = nn.Conv3d(dim_in, dim_inner, 1, bias=False)
        self.pool.pre_norm = nn.BatchNorm3d(dim_inner)
        self.pool.pre_act = nn.ReLU()
        self.pool.pool = nn.AvgPool3d(pool_kernel, stride=1)
        self.pool.post_conv = nn.Conv3d(dim_inner, dim_out, 1, bias=False)
        self.pool.post_act = nn.ReLU()
        self.dropout = nn.Dropout(0.5)
        self.proj = nn.Linear(dim_out, 1)
        self.output_pool = nn.AdaptiveAvgPool3d(1)

    def forward(self, x):
        p = self.pool
        x = p.post_act(p.post_conv(p.pool(p.pre_act(p.pre_norm(p.pre_conv(x))))))
        x = self.proj(self.dropout(x).permute(0, 2, 3, 4, 1)).permute(0, 4, 1, 2, 3)
        return self.output_pool(x).view(x.shape[0], -1)


def x3d(variant="s", width_scale=1.0, frames=13, size=182):
    depth_factor = {"xs": 2.2, "s": 2.2, "m": 2.2}[variant]
    w = lambda c: max(4, int(round(c * width_scale)))
    stem = w(24)
    blocks = [X3DStem(stem)]
    dim_in = stem
    for i, base_depth in enumerate((1, 2, 5, 3)):
        depth = int(math.ceil(depth_factor * base_depth))
        dim_out = w(24 * 2**i)
        dim_inner = int(2.25 * dim_out)
        blocks.append(X3DStage(depth, dim_in, dim_inner, dim_out, 2))
        dim_in = dim_out
    spatial = int(math.ceil(size / 32))
    blocks.append(X3DHead(dim_in, int(2.25 * dim_in), w(2048), (frames, spatial, spatial)))
    return Net(blocks)


X3D_DEFAULTS = {"xs": (4, 160), "s": (13, 182), "m": (16, 224)}

# ---------------------------------------------------------------- bundle export


def build(args):
    if args.arch == "slow_r50":
        return slow_resnet(args.depth, args.width_scale, args.frames, args.size)
    if args.arch == "x3d":
        return x3d(args.variant, args.width_scale, args.frames, args.size)
    raise SystemExit(f"unknown architecture {args.arch}")


def load_checkpoint(model, path):
    """Loads a Walk_Video_PyTorch Lightning checkpoint: state_dict keys prefixed 'model.'."""
    state = torch.load(path, map_location="cpu")
    state = state.get("state_dict", state)
    stripped = {k[len("model."):]: v for k, v in state.items() if k.startswith("model.")}
    missing, unexpected = model.load_state_dict(stripped, strict=False)
    if missing or unexpected:
        raise SystemExit(f"checkpoint does not fit: missing {missing[:5]}..., unexpected {unexpected[:5]}...")


def write_tensor(path, tensor):
    """float32 little-endian .bin + shape in the manifest."""
    path.write_bytes(tensor.detach().contiguous().numpy().astype("<f4").tobytes())


def export(args):
    torch.manual_seed(args.seed)
    model = build(args).eval()
    validated = False
    if args.checkpoint:
        load_checkpoint(model, args.checkpoint)
    else:
        # Random weights get realistic batch-norm statistics so activations stay in a sane range.
        for m in model.modules():
            if isinstance(m, nn.BatchNorm3d):
                m.running_mean.uniform_(-0.1, 0.1)
                m.running_var.uniform_(0.5, 1.5)
                m.weight.data.uniform_(0.5, 1.5)
                m.bias.data.uniform_(-0.1, 0.1)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    dummy = torch.randn(1, 3, args.frames, args.size, args.size)
    torch.onnx.export(model, dummy, out / "model.onnx", input_names=["video"], output_names=["logit"], dynamic_axes={"video": {0: "batch"}, "logit": {0: "batch"}}, opset_version=13, do_constant_folding=True)
    sha = hashlib.sha256((out / "model.onnx").read_bytes()).hexdigest()
    name = f"{args.arch}{args.depth if args.arch == 'slow_r50' else '-' + args.variant}"
    manifest = {
        "schemaVersion": 1,
        "id": args.id or f"{name}-w{args.width_scale:g}-t{args.frames}-random" + ("" if not args.checkpoint else "-trained"),
        "name": args.name or f"{name} (width x{args.width_scale:g}, {'trained checkpoint' if args.checkpoint else 'random weights'})",
        "version": args.version,
        "architecture": {"family": args.arch, "depth": args.depth if args.arch == "slow_r50" else None, "variant": args.variant if args.arch == "x3d" else None, "widthScale": args.width_scale},
        "input": {"name": "video", "frames": args.frames, "clipSeconds": args.clip_seconds, "size": args.size, "layout": "NCTHW", "mean": [0.45, 0.45, 0.45], "std": [0.225, 0.225, 0.225], "colourOrder": "RGB", "fps": 30},
        "output": {"name": "logit", "kind": "logit", "positiveClass": "ASD_not", "classNames": ["ASD", "ASD_not"], "note": "sigmoid(logit) is P(ASD_not): folder names sort ASD before ASD_not"},
        "threshold": 0.5,
        "provenance": {
            "trainingData": "none: randomly initialised weights for software testing" if not args.checkpoint else args.training_data,
            "crossValidatedMetrics": None,
            "date": datetime.date.today().isoformat(),
            "authors": ["WalkScope tools/models/export_reference.py"],
            "exportedWith": f"torch {torch.__version__}",
        },
        "intendedUse": "Software testing only. Not for clinical use." if not args.checkpoint else args.intended_use,
        "validated": validated,
        "modelSha256": sha,
    }
    if args.reference_io:
        g = torch.Generator().manual_seed(args.seed + 1)
        ref_in = torch.randn(2, 3, args.frames, args.size, args.size, generator=g)
        with torch.no_grad():
            ref_out = model(ref_in)
        write_tensor(out / "reference_input.bin", ref_in)
        write_tensor(out / "reference_output.bin", ref_out)
        (out / "reference.json").write_text(json.dumps({"input": list(ref_in.shape), "output": list(ref_out.shape), "torch": torch.__version__}))
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2))
    print(json.dumps({"out": str(out), "sha256": sha, "bytes": (out / "model.onnx").stat().st_size}))


# ---------------------------------------------------------------- reference preprocessing


def uniform_clips(duration, clip_seconds):
    """pytorchvideo UniformClipSampler without back-padding: consecutive clips while they fit."""
    clips, start = [], 0.0
    while start + clip_seconds <= duration + 1e-9:
        clips.append((start, start + clip_seconds))
        start += clip_seconds
    return clips


def preprocess_reference(args):
    """Decodes a clip with PyAV, samples like the reference data module and transforms with torch."""
    import av
    import torch.nn.functional as F

    container = av.open(args.video)
    stream = container.streams.video[0]
    frames, times = [], []
    for frame in container.decode(stream):
        frames.append(torch.from_numpy(frame.to_ndarray(format="rgb24")))
        times.append(float(frame.pts * stream.time_base))
    duration = float(stream.duration * stream.time_base) if stream.duration else times[-1]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    clips = []
    for (start, end) in uniform_clips(duration, args.clip_seconds)[: args.max_clips]:
        in_clip = [i for i, t in enumerate(times) if start <= t < end]
        t = len(in_clip)
        sub = torch.clamp(torch.linspace(0, t - 1, args.frames), 0, t - 1).long().tolist()
        chosen = [in_clip[i] for i in sub]
        video = torch.stack([frames[i] for i in chosen]).permute(3, 0, 1, 2).float()  # C T H W, RGB
        video = video / 255.0
        mean = torch.tensor([0.45, 0.45, 0.45]).view(3, 1, 1, 1)
        std = torch.tensor([0.225, 0.225, 0.225]).view(3, 1, 1, 1)
        video = (video - mean) / std
        # torchvision Resize((S, S)) on a tensor: bilinear, align_corners=False, no antialias (0.14)
        video = F.interpolate(video, size=(args.size, args.size), mode="bilinear", align_corners=False)
        # Committed fixtures stay small: the decoded frames the clip used (gzip) and every
        # `step`-th value of the expected tensor, plus its sum as a whole-tensor check.
        flat = video.contiguous().view(-1)
        step = max(1, flat.numel() // args.samples)
        k = len(clips)
        (out / f"clip{k}_frames.rgb.gz").write_bytes(gzip.compress(b"".join(frames[i].numpy().tobytes() for i in chosen), 6))
        write_tensor(out / f"clip{k}_expected_every_{step}.bin", flat[::step])
        clips.append({"start": start, "end": end, "frameIndices": chosen, "shape": list(video.shape), "step": step, "sum": float(flat.double().sum())})
    h, w = frames[0].shape[:2]
    (out / "reference.json").write_text(json.dumps({"video": Path(args.video).name, "width": int(w), "height": int(h), "frameCount": len(frames), "frameTimes": times, "duration": duration, "clipSeconds": args.clip_seconds, "frames": args.frames, "size": args.size, "clips": clips, "torch": torch.__version__, "pyav": av.__version__}))
    print(json.dumps({"out": str(out), "clips": len(clips)}))


def bench(args):
    torch.manual_seed(0)
    torch.set_num_threads(args.threads)
    model = build(args).eval()
    x = torch.randn(1, 3, args.frames, args.size, args.size)
    with torch.no_grad():
        model(x)
        times = []
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            model(x)
            times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    print(json.dumps({"arch": args.arch, "frames": args.frames, "size": args.size, "msPerClip": times[len(times) // 2], "threads": args.threads, "torch": torch.__version__}))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("mode", choices=["export", "preprocess-ref", "bench"])
    p.add_argument("--arch", default="slow_r50", choices=["slow_r50", "x3d"])
    p.add_argument("--depth", type=int, default=50, choices=[50, 101, 152])
    p.add_argument("--variant", default="s", choices=["xs", "s", "m"])
    p.add_argument("--width-scale", type=float, default=1.0)
    p.add_argument("--frames", type=int, default=8)
    p.add_argument("--size", type=int, default=224)
    p.add_argument("--clip-seconds", type=float, default=1.0)
    p.add_argument("--checkpoint")
    p.add_argument("--training-data", default="")
    p.add_argument("--intended-use", default="Research: screening of walking videos for adult spinal deformity.")
    p.add_argument("--id")
    p.add_argument("--name")
    p.add_argument("--version", default="0.0.1")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out")
    p.add_argument("--reference-io", action="store_true")
    p.add_argument("--video")
    p.add_argument("--max-clips", type=int, default=1)
    p.add_argument("--samples", type=int, default=40000)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--repeats", type=int, default=5)
    args = p.parse_args()
    if args.arch == "x3d" and "--frames" not in sys.argv:
        args.frames, args.size = X3D_DEFAULTS[args.variant]
    {"export": export, "preprocess-ref": preprocess_reference, "bench": bench}[args.mode](args)


if __name__ == "__main__":
    main()
