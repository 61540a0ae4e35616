#!/usr/bin/python3
"""Checks that export_reference.py's networks take genuine pytorchvideo checkpoints.

The expected state_dict below (names and shapes) is written out here from pytorchvideo's
builders and fvcore's SqueezeExcitation, independently of export_reference.py's modules:

  pytorchvideo/models/stem.py       create_res_basic_stem -> ResNetBasicStem(conv, norm, activation, pool)
  pytorchvideo/models/resnet.py     create_resnet / create_res_stage / create_res_block /
                                    create_bottleneck_block -> ResStage.res_blocks[i] = ResBlock(
                                    branch1_conv, branch1_norm, branch2 = BottleneckBlock(conv_a,
                                    norm_a, act_a, conv_b, norm_b, act_b, conv_c, norm_c));
                                    a shortcut conv + norm where dim_in != dim_out or the block strides
  pytorchvideo/models/csn.py        create_csn: conv_b depthwise 3x3x3 (groups = dim_inner),
                                    dim_inner = dim_out // bottleneck_ratio (4)
  pytorchvideo/models/r2plus1d.py   create_2plus1d_bottleneck_block: conv_b = Conv2plus1d(conv_t
                                    (3,1,1), norm, activation, conv_xy (1,3,3))
  pytorchvideo/models/x3d.py        create_x3d_stem: Conv2plus1d(conv_t = the 1x3x3 conv, conv_xy =
                                    the depthwise 5x1x1 conv), no norm inside; create_x3d_bottleneck_block:
                                    norm_b = Sequential(BatchNorm3d, SqueezeExcitation or Identity),
                                    SE in blocks 0, 2, 4, ...; create_x3d_res_block: shortcut norm only
                                    where dim_in != dim_out; create_x3d_head: ProjectedPool(pre_conv,
                                    pre_norm, pre_act, pool, post_conv, post_act) then proj
  fvcore/nn/squeeze_excitation.py   SqueezeExcitation.block = Sequential(Conv3d(C, C_r, 1, bias),
                                    ReLU, Conv3d(C_r, C, 1, bias), Sigmoid); the mean over T, H, W
                                    is taken in forward, so the parameters are block.0 and block.2
Walk_Video_PyTorch replaces the Kinetics projection by Linear(C, 1): proj is [1, C] and [1].

Modes (one JSON document on stdout):
  layout                       compare every architecture's expected layout with the exporter's
                               network; exit 1 on any difference
  checkpoint --arch ... --out F  write a fake Walk_Video_PyTorch Lightning checkpoint in the expected
                               layout (random weights, keys prefixed "model."); --se-layout old
                               writes X3D's squeeze-excitation as block.1/block.3 (the layout the
                               exporter used to have), --logit-scale scales the projection
  check-onnx DIR               load DIR/model.onnx with python3-onnx and run its checker
"""
import argparse
import importlib.util
import json
import math
import sys
from collections import OrderedDict
from pathlib import Path
from types import SimpleNamespace

import torch

TOOL = Path(__file__).with_name("export_reference.py")

# ------------------------------------------------------------------ the expected layout


def add_norm(layout, name, channels):
    """BatchNorm3d: four [C] tensors and the scalar batch counter."""
    for field in ("weight", "bias", "running_mean", "running_var"):
        layout[f"{name}.{field}"] = (channels,)
    layout[f"{name}.num_batches_tracked"] = ()


def add_conv(layout, name, out_channels, in_per_group, kernel, bias=False):
    layout[f"{name}.weight"] = (out_channels, in_per_group, *kernel)
    if bias:
        layout[f"{name}.bias"] = (out_channels,)


BLOCKS_PER_STAGE = {50: (3, 4, 6, 3), 101: (3, 4, 23, 3), 152: (3, 8, 36, 3)}

# create_resnet (as hub slow_r50 calls it, and with its own defaults), create_csn, create_r2plus1d
RESNET_RECIPES = {
    "slow_r50": dict(stem=(1, 7, 7), conv_a=[(1, 1, 1), (1, 1, 1), (3, 1, 1), (3, 1, 1)], conv_b="1x3x3",
                     strides=[(1, 1, 1), (1, 2, 2), (1, 2, 2), (1, 2, 2)]),
    "resnet": dict(stem=(3, 7, 7), conv_a=[(1, 1, 1), (1, 1, 1), (3, 1, 1), (3, 1, 1)], conv_b="1x3x3",
                   strides=[(1, 1, 1), (1, 2, 2), (1, 2, 2), (1, 2, 2)]),
    "csn": dict(stem=(3, 7, 7), conv_a=[(1, 1, 1)] * 4, conv_b="depthwise 3x3x3",
                strides=[(1, 1, 1), (2, 2, 2), (2, 2, 2), (2, 2, 2)]),
    "r2plus1d": dict(stem=(1, 7, 7), conv_a=[(1, 1, 1)] * 4, conv_b="(2+1)D",
                     strides=[(1, 2, 2), (1, 2, 2), (2, 2, 2), (2, 2, 2)]),
}


def resnet_layout(arch, depth):
    recipe = RESNET_RECIPES[arch]
    layout = OrderedDict()
    add_conv(layout, "blocks.0.conv", 64, 3, recipe["stem"])
    add_norm(layout, "blocks.0.norm", 64)
    stage_in, stage_out = 64, 256
    for stage, count in enumerate(BLOCKS_PER_STAGE[depth]):
        inner = stage_out // 4
        for index in range(count):
            block = f"blocks.{stage + 1}.res_blocks.{index}"
            block_in = stage_in if index == 0 else stage_out
            strided = index == 0 and math.prod(recipe["strides"][stage]) != 1
            if block_in != stage_out or strided:
                add_conv(layout, f"{block}.branch1_conv", stage_out, block_in, (1, 1, 1))
                add_norm(layout, f"{block}.branch1_norm", stage_out)
            b2 = f"{block}.branch2"
            add_conv(layout, f"{b2}.conv_a", inner, block_in, recipe["conv_a"][stage])
            add_norm(layout, f"{b2}.norm_a", inner)
            if recipe["conv_b"] == "(2+1)D":
                add_conv(layout, f"{b2}.conv_b.conv_t", inner, inner, (3, 1, 1))
                add_norm(layout, f"{b2}.conv_b.norm", inner)
                add_conv(layout, f"{b2}.conv_b.conv_xy", inner, inner, (1, 3, 3))
            elif recipe["conv_b"] == "depthwise 3x3x3":
                add_conv(layout, f"{b2}.conv_b", inner, 1, (3, 3, 3))
            else:
                add_conv(layout, f"{b2}.conv_b", inner, inner, (1, 3, 3))
            add_norm(layout, f"{b2}.norm_b", inner)
            add_conv(layout, f"{b2}.conv_c", stage_out, inner, (1, 1, 1))
            add_norm(layout, f"{b2}.norm_c", stage_out)
        stage_in, stage_out = stage_out, stage_out * 2
    layout["blocks.5.proj.weight"] = (1, stage_in)
    layout["blocks.5.proj.bias"] = (1,)
    return layout


def pv_round_width(width, multiplier, min_width=8, divisor=8):
    """pytorchvideo.layers.utils.round_width (ceil=False), restated."""
    scaled = width * multiplier
    rounded = max(min_width, int(scaled + divisor / 2) // divisor * divisor)
    return int(rounded + divisor) if rounded < 0.9 * scaled else int(rounded)


def x3d_layout():
    """create_x3d with its defaults (width 2.0, depth 2.2, bottleneck 2.25, SE 1/16, head 2048):
    x3d_xs, x3d_s and x3d_m differ only in clip length and crop, which hold no parameters."""
    layout = OrderedDict()
    stem = pv_round_width(12, 2.0)
    add_conv(layout, "blocks.0.conv.conv_t", stem, 3, (1, 3, 3))
    add_conv(layout, "blocks.0.conv.conv_xy", stem, 1, (5, 1, 1))
    add_norm(layout, "blocks.0.norm", stem)
    base = [12]
    while len(base) < 4:
        base.append(pv_round_width(base[-1], 2.0))
    stage_in = stem
    for stage, repeats in enumerate((1, 2, 5, 3)):
        stage_out = pv_round_width(base[stage], 2.0)
        inner = int(2.25 * stage_out)
        squeezed = pv_round_width(inner, 0.0625)
        for index in range(int(math.ceil(2.2 * repeats))):
            block = f"blocks.{stage + 1}.res_blocks.{index}"
            block_in = stage_in if index == 0 else stage_out
            if index == 0:  # the first block strides (1, 2, 2): always a shortcut conv
                add_conv(layout, f"{block}.branch1_conv", stage_out, block_in, (1, 1, 1))
                if block_in != stage_out:
                    add_norm(layout, f"{block}.branch1_norm", stage_out)
            b2 = f"{block}.branch2"
            add_conv(layout, f"{b2}.conv_a", inner, block_in, (1, 1, 1))
            add_norm(layout, f"{b2}.norm_a", inner)
            add_conv(layout, f"{b2}.conv_b", inner, 1, (3, 3, 3))
            add_norm(layout, f"{b2}.norm_b.0", inner)
            if index % 2 == 0:
                add_conv(layout, f"{b2}.norm_b.1.block.0", squeezed, inner, (1, 1, 1), bias=True)
                add_conv(layout, f"{b2}.norm_b.1.block.2", inner, squeezed, (1, 1, 1), bias=True)
            add_conv(layout, f"{b2}.conv_c", stage_out, inner, (1, 1, 1))
            add_norm(layout, f"{b2}.norm_c", stage_out)
        stage_in = stage_out
    add_conv(layout, "blocks.5.pool.pre_conv", inner, stage_in, (1, 1, 1))
    add_norm(layout, "blocks.5.pool.pre_norm", inner)
    add_conv(layout, "blocks.5.pool.post_conv", 2048, inner, (1, 1, 1))
    layout["blocks.5.proj.weight"] = (1, 2048)
    layout["blocks.5.proj.bias"] = (1,)
    return layout


def expected_layout(arch, depth=None):
    return x3d_layout() if arch == "x3d" else resnet_layout(arch, depth)


# Each configuration at its recipe's clip length and crop (so no head pool needs shrinking).
CONFIGS = [
    {"arch": "slow_r50", "depth": 50, "frames": 8, "size": 224},
    {"arch": "slow_r50", "depth": 101, "frames": 8, "size": 224},
    {"arch": "slow_r50", "depth": 152, "frames": 8, "size": 224},
    {"arch": "resnet", "depth": 50, "frames": 8, "size": 224},
    {"arch": "csn", "depth": 101, "frames": 32, "size": 224},
    {"arch": "r2plus1d", "depth": 50, "frames": 16, "size": 224},
    {"arch": "x3d", "variant": "xs", "frames": 4, "size": 160},
    {"arch": "x3d", "variant": "s", "frames": 13, "size": 182},
    {"arch": "x3d", "variant": "m", "frames": 16, "size": 224},
]


def exporter():
    spec = importlib.util.spec_from_file_location("export_reference", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def label(config):
    return f"{config['arch']}" + (f" {config['variant']}" if "variant" in config else f" depth {config['depth']}")


def compare_layouts():
    tool = exporter()
    results = []
    for config in CONFIGS:
        args = SimpleNamespace(arch=config["arch"], depth=config.get("depth", 50), variant=config.get("variant", "s"),
                               width_scale=1.0, frames=config["frames"], size=config["size"], shrink_head_pool=False)
        model, _ = tool.build(args)
        have = {k: tuple(v.shape) for k, v in model.state_dict().items()}
        want = expected_layout(config["arch"], config.get("depth"))
        results.append({
            "config": label(config),
            "expectedKeys": len(want),
            "exporterKeys": len(have),
            "missing": [k for k in want if k not in have],
            "unexpected": [k for k in have if k not in want],
            "shapeMismatches": [f"{k}: expected {list(want[k])}, exporter {list(have[k])}" for k in want if k in have and have[k] != want[k]],
        })
    ok = all(not (r["missing"] or r["unexpected"] or r["shapeMismatches"]) for r in results)
    print(json.dumps({"ok": ok, "torch": torch.__version__, "results": results}))
    return 0 if ok else 1


# ----------------------------------------------------------------- a fake Lightning checkpoint


def fake_weights(layout, seed, logit_scale):
    """Random tensors of the layout's shapes, in a range a trained network has: He-scaled
    convolutions, batch norms near identity with small final norms in every residual branch,
    and a projection that spreads clips over a few logits (times logit_scale)."""
    g = torch.Generator().manual_seed(seed)
    uniform = lambda shape, lo, hi: torch.rand(shape, generator=g) * (hi - lo) + lo
    state = OrderedDict()
    for key, shape in layout.items():
        if key.endswith("num_batches_tracked"):
            state[key] = torch.tensor(4321, dtype=torch.long)
        elif key == "blocks.5.proj.weight":
            state[key] = torch.randn(shape, generator=g) * (8.0 * logit_scale / math.sqrt(shape[1]))
        elif key == "blocks.5.proj.bias":
            state[key] = torch.full(shape, 0.25 * logit_scale)
        elif len(shape) == 5:
            fan_in = math.prod(shape[1:])
            state[key] = torch.randn(shape, generator=g) * math.sqrt(2.0 / fan_in)
        elif key.endswith(".bias") and ".block." in key:  # squeeze-excitation conv biases
            state[key] = uniform(shape, -0.1, 0.1)
        elif key.endswith(".weight"):
            state[key] = uniform(shape, 0.5, 1.0) * (0.2 if ".norm_c." in key else 1.0)
        elif key.endswith(".bias") or key.endswith(".running_mean"):
            state[key] = uniform(shape, -0.1, 0.1)
        elif key.endswith(".running_var"):
            state[key] = uniform(shape, 0.5, 1.5)
        else:
            raise SystemExit(f"no rule for {key}")
    return state


def write_checkpoint(args):
    layout = expected_layout(args.arch, args.depth)
    state = fake_weights(layout, args.seed, args.logit_scale)
    if args.se_layout == "old":  # what the exporter wrongly expected before: pool at block.0
        state = OrderedDict((k.replace(".block.2.", ".block.3.").replace(".block.0.", ".block.1."), v) for k, v in state.items())
    checkpoint = {
        "epoch": 7,
        "global_step": 350,
        "pytorch-lightning_version": "1.6.0",
        "state_dict": OrderedDict((f"model.{k}", v) for k, v in state.items()),
        "loops": {},
        "callbacks": {},
        "optimizer_states": [],
        "lr_schedulers": [],
        "hparams_name": "hparams",
        "hyper_parameters": {"model": args.arch, "note": "fake checkpoint written by tools/models/test_checkpoint_layout.py"},
    }
    torch.save(checkpoint, args.out)
    print(json.dumps({"out": args.out, "keys": len(state), "parameters": sum(v.numel() for k, v in state.items() if not k.endswith("num_batches_tracked"))}))
    return 0


def check_onnx(folder):
    try:
        import onnx
    except ImportError:
        print(json.dumps({"skipped": "python3-onnx is not installed"}))
        return 0
    model = onnx.load(str(Path(folder) / "model.onnx"))
    onnx.checker.check_model(model)
    print(json.dumps({
        "checked": True, "onnx": onnx.__version__, "opset": model.opset_import[0].version,
        "inputs": [i.name for i in model.graph.input if i.name not in {x.name for x in model.graph.initializer}],
        "outputs": [o.name for o in model.graph.output],
        "initializers": [x.name for x in model.graph.initializer],
    }))
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("mode", choices=["layout", "checkpoint", "check-onnx"])
    p.add_argument("--arch", choices=sorted(RESNET_RECIPES) + ["x3d"])
    p.add_argument("--depth", type=int, default=50)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--logit-scale", type=float, default=1.0)
    p.add_argument("--se-layout", choices=["fvcore", "old"], default="fvcore")
    p.add_argument("--out")
    p.add_argument("--dir")
    args = p.parse_args()
    if args.mode == "layout":
        return compare_layouts()
    if args.mode == "checkpoint":
        return write_checkpoint(args)
    return check_onnx(args.dir)


if __name__ == "__main__":
    sys.exit(main())
