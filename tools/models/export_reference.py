#!/usr/bin/python3
"""Reference models and reference preprocessing for WalkScope stage 2.

Needs Debian's python3-torch 1.13 (CPU) for every mode (torch.onnx writes the ONNX file
without the onnx package; tools/models/test_checkpoint_layout.py checks it with python3-onnx).
`preprocess` alone also needs python3-av (decoding) and python3-torchvision 0.14 (Normalize,
Resize), which python3-torch does not pull in. No
pytorchvideo, fvcore or network: the paper's 3D CNNs are rebuilt here with pytorchvideo's
module names, so the state_dict of a Walk_Video_PyTorch Lightning checkpoint ("state_dict",
keys prefixed "model.") loads into them with strict=True. The key layout, as pytorchvideo's
builders name it (N = the block's index in its stage):
  blocks.0                 stem: conv + norm (X3D: conv.conv_t 1x3x3, conv.conv_xy 5x1x1
                           depthwise, then norm)
  blocks.1-4.res_blocks.N  ResBlock: branch1_conv/branch1_norm (the shortcut, where present),
                           branch2.{conv_a, norm_a, conv_b, norm_b, conv_c, norm_c};
                           R(2+1)D: conv_b.{conv_t, norm, conv_xy};
                           X3D: norm_b.0 (BatchNorm3d) and, in every other block from the
                           first, norm_b.1 = fvcore's SqueezeExcitation with block.0 (Conv3d
                           C -> C/16 rounded, bias) and block.2 (Conv3d back to C, bias)
  blocks.5                 head: proj (Linear(C, 1)); X3D also pool.pre_conv, pool.pre_norm
                           and pool.post_conv (ProjectedPool)
  every BatchNorm3d carries weight, bias, running_mean, running_var, num_batches_tracked.
tools/models/test_checkpoint_layout.py states the same layout independently, with shapes.

Architectures (--arch):
  slow_r50   ResNet3D as torch.hub's pytorchvideo `slow_r50` builds it (stem 1x7x7 + max
             pool, conv_a temporal kernel 3 in res4/res5, head AvgPool (8,7,7)); the paper's
             transfer-learning model. --depth 101/152 keeps that recipe with deeper stages.
  resnet     ResNet3D as `create_resnet(...)` builds it with its defaults (stem 3x7x7, head
             AvgPool (4,7,7)): the reference code's from-scratch model, depth 50/101/152.
  x3d        X3D xs/s/m (`create_x3d` as the hub builds x3d_xs/x3d_s/x3d_m).
  csn        Channel-separated ResNet (`create_csn`, as Walk_Video_PyTorch calls it), depth 101.
  r2plus1d   R(2+1)D (`create_r2plus1d` as the hub builds r2plus1d_r50), depth 50.
Every head's Kinetics projection is replaced by Linear(C, 1), as Walk_Video_PyTorch does.
pytorchvideo gives X3D and R(2+1)D heads a Softmax(dim=1): over one output it is 1.0 for
every clip, so a one-class model built that way carries no information. The export stops
before that activation and always emits the raw logit (manifest output.kind "logit").
--features exports the network without its final projection (a "backbone bundle"): the graph
ends at the head's pooled features, one vector per clip ([N, C], output "features"; C = 2048 for
slow_r50, resnet, csn, r2plus1d and X3D's 2048-wide projected pool, times --width-scale), and the
manifest says output.kind "features" with featureSize C, no classes and no threshold: the app
never shows a verdict from it. The projection is linear and comes before the head's global
average, so projection(features) is the logit the classifier would give (checked on export).

Input size: only recipe values are assumed, and the manifest says which were assumed
(architecture.inputChoice). slow_r50 defaults to 8 frames (its 8x8 recipe); x3d to the hub
clip length (4/13/16 for xs/s/m). csn (recipe 32 frames), r2plus1d (16) and resnet need
--frames. x3d needs --size: xs/s train on 160 crops and test at 160 (one spatial crop) or 182
(three); m trains on 224 and tests at 224 or 256; the head pool is built for the training crop,
as the hub builds it. The others default to 224. A head pool kernel larger than the input's
feature map (pytorchvideo would fail on it) is an error unless --shrink-head-pool clamps it,
which the manifest records (architecture.headPoolShrunk).

Modes:
  export      --arch ... --out DIR [--checkpoint CKPT] [--reference-io]
              writes model.onnx and manifest.json (with the SHA-256 of model.onnx). Without
              a checkpoint the weights are random and the manifest says validated: false
              (no trained ASD model exists in public; none is invented here). A bundle from
              a checkpoint is named after the checkpoint's file and SHA-256 (id
              <arch>-<12 hex>, provenance.checkpoint {file, sha256}); what it was trained on,
              its intended use and its validation are recorded only as stated with
              --trained-on, --intended-use and --validated STATEMENT (validated: true only with
              the latter). slow_r50/resnet are exported in the time-as-batch layout, checked
              against the NCTHW forward to 1e-4 x max(1, |logit|).
              --features: without the final projection (see above); a checkpoint's projection
              (Linear(C, 1), or a Kinetics Linear(C, 400)) is ignored, and its shape recorded.
              --reference-io adds a reference batch: reference_input.u8 (pixels),
              reference_output.bin (float32 little-endian) and reference.json.
  preprocess  --video FILE --out DIR  decodes with PyAV, samples clips like the reference
              data module (UniformClipSampler, EncodedVideo frame selection by pts,
              UniformTemporalSubsample) and applies the reference transforms with
              torch/torchvision (Div255, Normalize(0.45, 0.225), Resize(size, size)); writes
              the decoded frames it used, the sampled indices and the expected tensor.
  bench       --arch ... ms per clip with PyTorch on this machine (prints one JSON line).
  indices     expected UniformTemporalSubsample indices (torch.linspace) as JSON.
"""
import argparse
import datetime
import gzip
import hashlib
import json
import math
import sys
import time
from fractions import Fraction
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

# --------------------------------------------------------------------------- building blocks
# Class and attribute names follow pytorchvideo (models/resnet.py, stem.py, head.py, x3d.py,
# csn.py, r2plus1d.py, layers/convolutions.py), because state_dict keys are made of them.


class Net(nn.Module):
    def __init__(self, blocks):
        super().__init__()
        self.blocks = nn.ModuleList(blocks)

    def forward(self, x):
        for block in self.blocks:
            x = block(x)
        return x


class ResNetBasicStem(nn.Module):
    def __init__(self, conv, norm, activation, pool):
        super().__init__()
        self.conv, self.norm, self.activation, self.pool = conv, norm, activation, pool

    def forward(self, x):
        x = self.conv(x)
        if self.norm is not None:
            x = self.norm(x)
        if self.activation is not None:
            x = self.activation(x)
        if self.pool is not None:
            x = self.pool(x)
        return x


class Conv2plus1d(nn.Module):
    """conv_t -> norm -> activation -> conv_xy (pytorchvideo.layers.convolutions)."""

    def __init__(self, conv_t, norm, activation, conv_xy):
        super().__init__()
        self.conv_t, self.norm, self.activation, self.conv_xy = conv_t, norm, activation, conv_xy

    def forward(self, x):
        x = self.conv_t(x)
        if self.norm is not None:
            x = self.norm(x)
        if self.activation is not None:
            x = self.activation(x)
        return self.conv_xy(x)


class BottleneckBlock(nn.Module):
    def __init__(self, conv_a, norm_a, act_a, conv_b, norm_b, act_b, conv_c, norm_c):
        super().__init__()
        self.conv_a, self.norm_a, self.act_a = conv_a, norm_a, act_a
        self.conv_b, self.norm_b, self.act_b = conv_b, norm_b, act_b
        self.conv_c, self.norm_c = conv_c, norm_c

    def forward(self, x):
        x = self.act_a(self.norm_a(self.conv_a(x)))
        x = self.norm_b(self.conv_b(x))
        if self.act_b is not None:
            x = self.act_b(x)
        return self.norm_c(self.conv_c(x))


class ResBlock(nn.Module):
    def __init__(self, branch1_conv, branch1_norm, branch2, activation):
        super().__init__()
        self.branch1_conv, self.branch1_norm, self.branch2, self.activation = branch1_conv, branch1_norm, branch2, activation

    def forward(self, x):
        shortcut = x
        if self.branch1_conv is not None:
            shortcut = self.branch1_conv(x)
        if self.branch1_norm is not None:
            shortcut = self.branch1_norm(shortcut)
        x = shortcut + self.branch2(x)
        return self.activation(x) if self.activation is not None else x


class ResStage(nn.Module):
    def __init__(self, res_blocks):
        super().__init__()
        self.res_blocks = nn.ModuleList(res_blocks)

    def forward(self, x):
        for block in self.res_blocks:
            x = block(x)
        return x


class ResNetBasicHead(nn.Module):
    """pool -> dropout -> proj (Linear over channels) -> [activation] -> global average."""

    def __init__(self, pool, dropout, proj, output_pool):
        super().__init__()
        self.pool, self.dropout, self.proj, self.output_pool = pool, dropout, proj, output_pool

    def forward(self, x):
        if self.pool is not None:
            x = self.pool(x)
        if self.dropout is not None:
            x = self.dropout(x)
        x = self.proj(x.permute(0, 2, 3, 4, 1)).permute(0, 4, 1, 2, 3)
        x = self.output_pool(x)
        return x.view(x.shape[0], -1)


def pooled_features(head, x):
    """ResNetBasicHead without dropout and projection: pool -> global average -> [N, C]. The
    projection is linear and the global average comes after it in the head, so
    head.proj(pooled_features(head, x)) is the head's logit."""
    if head.pool is not None:
        x = head.pool(x)
    x = head.output_pool(x)
    return x.reshape(-1, head.proj.in_features)


class FeatureNet(nn.Module):
    """The network up to its head's pooled features (--features). Export only: checkpoints load
    into the wrapped network unchanged."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        *body, head = self.net.blocks
        for block in body:
            x = block(x)
        return pooled_features(head, x)


class ProjectedPool(nn.Module):
    def __init__(self, pre_conv, pre_norm, pre_act, pool, post_conv, post_act):
        super().__init__()
        self.pre_conv, self.pre_norm, self.pre_act, self.pool, self.post_conv, self.post_act = pre_conv, pre_norm, pre_act, pool, post_conv, post_act

    def forward(self, x):
        x = self.pre_act(self.pre_norm(self.pre_conv(x)))
        return self.post_act(self.post_conv(self.pool(x)))


class Swish(nn.Module):
    def forward(self, x):
        return x * torch.sigmoid(x)


class SqueezeExcitation(nn.Module):
    """fvcore.nn.squeeze_excitation.SqueezeExcitation(is_3d=True). `block` holds only
    (Conv3d, ReLU, Conv3d, Sigmoid), so its parameters are block.0.* and block.2.*; the
    squeeze (the average over T, H, W) happens in forward, outside `block`. fvcore writes it
    as x.mean(dim=[2, 3, 4]); adaptive_avg_pool3d(x, 1) is the same average and exports as one
    ONNX GlobalAveragePool (the mean would export as ReduceMean)."""

    def __init__(self, channels, reduced):
        super().__init__()
        self.block = nn.Sequential(nn.Conv3d(channels, reduced, 1, bias=True), nn.ReLU(), nn.Conv3d(reduced, channels, 1, bias=True), nn.Sigmoid())

    def forward(self, x):
        return x * self.block(F.adaptive_avg_pool3d(x, 1))


def bn(c):
    return nn.BatchNorm3d(c, eps=1e-5, momentum=0.1)


def conv(cin, cout, kernel, stride=(1, 1, 1), groups=1):
    return nn.Conv3d(cin, cout, kernel, stride=stride, padding=[k // 2 for k in kernel], groups=groups, bias=False)


STAGE_DEPTHS = {50: (3, 4, 6, 3), 101: (3, 4, 23, 3), 152: (3, 8, 36, 3)}


def scaled(width_scale):
    return lambda c: max(4, int(round(c * width_scale)))


class HeadPoolTooLarge(Exception):
    pass


def head_pool(kernel_wanted, feature_shape, shrink):
    """The head's AvgPool3d kernel and what to record of it. pytorchvideo builds the kernel from
    its recipe; on a smaller input the kernel is larger than the feature map and its forward
    fails. That is an error here unless `shrink` (--shrink-head-pool, for tiny test fixtures)
    allows clamping the kernel to the feature map, which the manifest then records."""
    kernel_wanted, feature_shape = tuple(kernel_wanted), tuple(feature_shape)
    if all(k <= f for k, f in zip(kernel_wanted, feature_shape)):
        return kernel_wanted, {"headPoolKernel": list(kernel_wanted)}
    if not shrink:
        raise HeadPoolTooLarge(
            f"the head's AvgPool3d kernel {'x'.join(map(str, kernel_wanted))} (T x H x W, the recipe's) is larger than the "
            f"{'x'.join(map(str, feature_shape))} feature map this input gives; pytorchvideo would fail on it. Use a larger "
            "--frames/--size, or --shrink-head-pool to clamp the kernel to the feature map (recorded in the manifest)")
    used = tuple(max(1, min(k, f)) for k, f in zip(kernel_wanted, feature_shape))
    return used, {"headPoolKernel": list(used), "headPoolShrunk": {
        "recipeKernel": list(kernel_wanted), "featureMap": list(feature_shape), "used": list(used),
        "allowedBy": "--shrink-head-pool (the recipe's kernel is larger than this input's feature map)"}}


def resnet_family(*, depth, width_scale, frames, size, shrink_head_pool, stem_kernel, stem_pool, conv_a_kernels, conv_a_temporal_stride, conv_b_kernel, conv_b_temporal_stride, spatial_strides, inner_ratio, depthwise, two_plus_one, head_kernel, dropout):
    """create_resnet / create_csn / create_r2plus1d in one builder (they share ResStage/ResBlock)."""
    w = scaled(width_scale)
    stem_out = w(64)
    stem_stride = (1, 2, 2)
    stem = ResNetBasicStem(
        conv(3, stem_out, stem_kernel, stem_stride),
        bn(stem_out),
        nn.ReLU(),
        nn.MaxPool3d((1, 3, 3), stride=(1, 2, 2), padding=(0, 1, 1)) if stem_pool else None,
    )
    blocks = [stem]
    t, s = frames, size // 2 // (2 if stem_pool else 1)
    dim_in, dim_out = stem_out, w(256)
    for idx, n in enumerate(STAGE_DEPTHS[depth]):
        dim_inner = max(2, dim_out // inner_ratio)
        res_blocks = []
        for b in range(n):
            first = b == 0
            a_stride = (conv_a_temporal_stride[idx], 1, 1) if first else (1, 1, 1)
            b_stride = (conv_b_temporal_stride[idx], spatial_strides[idx], spatial_strides[idx]) if first else (1, 1, 1)
            skip_stride = tuple(x * y for x, y in zip(a_stride, b_stride))
            cin = dim_in if first else dim_out
            needs_skip = cin != dim_out or math.prod(skip_stride) != 1
            if two_plus_one:
                kt, kh, kw = conv_b_kernel
                conv_b = Conv2plus1d(
                    nn.Conv3d(dim_inner, dim_inner, (kt, 1, 1), stride=(b_stride[0], 1, 1), padding=(kt // 2, 0, 0), bias=False),
                    bn(dim_inner),
                    nn.ReLU(),
                    nn.Conv3d(dim_inner, dim_inner, (1, kh, kw), stride=(1, b_stride[1], b_stride[2]), padding=(0, kh // 2, kw // 2), bias=False),
                )
            else:
                conv_b = conv(dim_inner, dim_inner, conv_b_kernel, b_stride, groups=dim_inner if depthwise else 1)
            branch2 = BottleneckBlock(
                conv(cin, dim_inner, conv_a_kernels[idx], a_stride), bn(dim_inner), nn.ReLU(),
                conv_b, bn(dim_inner), nn.ReLU(),
                conv(dim_inner, dim_out, (1, 1, 1)), bn(dim_out),
            )
            res_blocks.append(ResBlock(
                nn.Conv3d(cin, dim_out, 1, stride=skip_stride, bias=False) if needs_skip else None,
                bn(dim_out) if needs_skip else None,
                branch2,
                nn.ReLU(),
            ))
        blocks.append(ResStage(res_blocks))
        t = (t + conv_a_temporal_stride[idx] * conv_b_temporal_stride[idx] - 1) // (conv_a_temporal_stride[idx] * conv_b_temporal_stride[idx])
        s = (s + spatial_strides[idx] - 1) // spatial_strides[idx]
        dim_in, dim_out = dim_out, dim_out * 2
    kernel, details = head_pool(head_kernel, (t, s, s), shrink_head_pool)
    blocks.append(ResNetBasicHead(nn.AvgPool3d(kernel, stride=(1, 1, 1)), nn.Dropout(dropout) if dropout > 0 else None, nn.Linear(dim_in, 1), nn.AdaptiveAvgPool3d(1)))
    return Net(blocks), details


def slow_r50(depth, width_scale, frames, size, shrink_head_pool=False):
    return resnet_family(depth=depth, width_scale=width_scale, frames=frames, size=size, shrink_head_pool=shrink_head_pool, stem_kernel=(1, 7, 7), stem_pool=True,
                         conv_a_kernels=((1, 1, 1), (1, 1, 1), (3, 1, 1), (3, 1, 1)), conv_a_temporal_stride=(1, 1, 1, 1),
                         conv_b_kernel=(1, 3, 3), conv_b_temporal_stride=(1, 1, 1, 1), spatial_strides=(1, 2, 2, 2), inner_ratio=4,
                         depthwise=False, two_plus_one=False, head_kernel=(8, 7, 7), dropout=0.5)


def create_resnet_defaults(depth, width_scale, frames, size, shrink_head_pool=False):
    return resnet_family(depth=depth, width_scale=width_scale, frames=frames, size=size, shrink_head_pool=shrink_head_pool, stem_kernel=(3, 7, 7), stem_pool=True,
                         conv_a_kernels=((1, 1, 1), (1, 1, 1), (3, 1, 1), (3, 1, 1)), conv_a_temporal_stride=(1, 1, 1, 1),
                         conv_b_kernel=(1, 3, 3), conv_b_temporal_stride=(1, 1, 1, 1), spatial_strides=(1, 2, 2, 2), inner_ratio=4,
                         depthwise=False, two_plus_one=False, head_kernel=(4, 7, 7), dropout=0.5)


def csn(depth, width_scale, frames, size, shrink_head_pool=False):
    # create_csn(model_depth=..., norm=BatchNorm3d, activation=ReLU) as Walk_Video_PyTorch calls it:
    # no stem pool, depthwise 3x3x3 conv_b, temporal strides (1, 2, 2, 2), head AvgPool (1, 7, 7), no dropout.
    return resnet_family(depth=depth, width_scale=width_scale, frames=frames, size=size, shrink_head_pool=shrink_head_pool, stem_kernel=(3, 7, 7), stem_pool=False,
                         conv_a_kernels=((1, 1, 1),) * 4, conv_a_temporal_stride=(1, 1, 1, 1),
                         conv_b_kernel=(3, 3, 3), conv_b_temporal_stride=(1, 2, 2, 2), spatial_strides=(1, 2, 2, 2), inner_ratio=4,
                         depthwise=True, two_plus_one=False, head_kernel=(1, 7, 7), dropout=0.0)


def r2plus1d(depth, width_scale, frames, size, shrink_head_pool=False):
    return resnet_family(depth=depth, width_scale=width_scale, frames=frames, size=size, shrink_head_pool=shrink_head_pool, stem_kernel=(1, 7, 7), stem_pool=False,
                         conv_a_kernels=((1, 1, 1),) * 4, conv_a_temporal_stride=(1, 1, 1, 1),
                         conv_b_kernel=(3, 3, 3), conv_b_temporal_stride=(1, 1, 2, 2), spatial_strides=(2, 2, 2, 2), inner_ratio=4,
                         depthwise=False, two_plus_one=True, head_kernel=(4, 7, 7), dropout=0.5)


# ------------------------------------------------------------------------------------- X3D


def round_width(width, multiplier, min_width=8, divisor=8):
    """pytorchvideo.layers.utils.round_width."""
    if not multiplier:
        return width
    width *= multiplier
    min_width = min_width or divisor
    width_out = max(min_width, int(width + divisor / 2) // divisor * divisor)
    if width_out < 0.9 * width:
        width_out += divisor
    return int(width_out)


X3D_VARIANTS = {
    # variant: (hub input_clip_length, hub input_crop_size = the recipe's training crop, which
    # sets the head pool; the recipe's test crop with 1 spatial crop; with 3 spatial crops).
    # Sources: pytorchvideo hub/x3d.py and SlowFast configs/Kinetics/pytorchvideo/X3D_*.yaml.
    "xs": (4, 160, 160, 182),
    "s": (13, 160, 160, 182),
    "m": (16, 224, 224, 256),
}


def x3d(variant, width_scale, frames, size, shrink_head_pool=False):
    hub_crop = X3D_VARIANTS[variant][1]
    width_factor, depth_factor, bottleneck_factor, se_ratio = 2.0 * width_scale, 2.2, 2.25, 0.0625
    stem_dim_in = 12
    stem_out = round_width(stem_dim_in, width_factor) if width_scale == 1 else max(4, int(round(24 * width_scale)))
    stem = ResNetBasicStem(
        # pytorchvideo's create_x3d_stem puts the spatial 1x3x3 conv in `conv_t` and the
        # depthwise temporal 5x1x1 conv in `conv_xy` (sic), with no norm between them.
        Conv2plus1d(
            nn.Conv3d(3, stem_out, (1, 3, 3), stride=(1, 2, 2), padding=(0, 1, 1), bias=False),
            None, None,
            nn.Conv3d(stem_out, stem_out, (5, 1, 1), padding=(2, 0, 0), groups=stem_out, bias=False),
        ),
        bn(stem_out), nn.ReLU(), None,
    )
    blocks = [stem]
    dims = [stem_dim_in]
    for _ in range(3):
        dims.append(round_width(dims[-1], 2.0, divisor=8))
    dim_in = stem_out
    for idx, base_depth in enumerate((1, 2, 5, 3)):
        dim_out = round_width(dims[idx], 2.0) if width_scale == 1 else max(4, int(round(round_width(dims[idx], 2.0) * width_scale)))
        dim_inner = int(bottleneck_factor * dim_out)
        depth = int(math.ceil(depth_factor * base_depth))
        res_blocks = []
        for b in range(depth):
            cin = dim_in if b == 0 else dim_out
            stride = (1, 2, 2) if b == 0 else (1, 1, 1)
            use_se = (b + 1) % 2 == 1
            branch2 = BottleneckBlock(
                nn.Conv3d(cin, dim_inner, 1, bias=False), bn(dim_inner), nn.ReLU(),
                nn.Conv3d(dim_inner, dim_inner, 3, stride=stride, padding=1, groups=dim_inner, bias=False),
                nn.Sequential(bn(dim_inner), SqueezeExcitation(dim_inner, round_width(dim_inner, se_ratio)) if use_se else nn.Identity()),
                Swish(),
                nn.Conv3d(dim_inner, dim_out, 1, bias=False), bn(dim_out),
            )
            res_blocks.append(ResBlock(
                nn.Conv3d(cin, dim_out, 1, stride=stride, bias=False) if (cin != dim_out or math.prod(stride) > 1) else None,
                bn(dim_out) if cin != dim_out else None,  # create_x3d_res_block: no norm for a stride-only shortcut
                branch2,
                nn.ReLU(),
            ))
        blocks.append(ResStage(res_blocks))
        dim_in = dim_out
    head_out = max(4, int(round(2048 * width_scale)))
    feature = math.ceil(size / 32)
    kernel, details = head_pool((frames, math.ceil(hub_crop / 32), math.ceil(hub_crop / 32)), (frames, feature, feature), shrink_head_pool)
    pool = ProjectedPool(nn.Conv3d(dim_in, dim_inner, 1, bias=False), bn(dim_inner), nn.ReLU(), nn.AvgPool3d(kernel, stride=1), nn.Conv3d(dim_inner, head_out, 1, bias=False), nn.ReLU())
    blocks.append(ResNetBasicHead(pool, nn.Dropout(0.5), nn.Linear(head_out, 1), nn.AdaptiveAvgPool3d(1)))
    return Net(blocks), {**details, "hubCropSize": hub_crop,
                         "hubCropNote": f"create_x3d(input_crop_size={hub_crop}) as the hub builds x3d_{variant}: the training crop, which sets the head pool kernel"}


# ------------------------------------------------------- export layout: time folded into batch


class TimeAsBatch(nn.Module):
    """The same ResNet3D (same parameters, same arithmetic up to float rounding), laid out for
    onnxruntime: where a convolution has temporal kernel 1 and no temporal stride (the stem and
    every conv_b/conv_c/shortcut of slow_r50), frames are folded into the batch and the graph uses
    Conv2d, which onnxruntime's CPU provider runs in its blocked NCHWc layout, where Conv3d runs
    through im2col. conv_a of res4/res5 (temporal kernel 3) becomes one 1x1 Conv2d giving every
    tap's output, added over time with shifts; only the head sees N, C, T, H, W. Export only:
    checkpoints load into the wrapped model unchanged."""

    def __init__(self, net, frames, features=False):
        super().__init__()
        self.net, self.frames, self.features = net, frames, features

    def to2d(self, x):
        n, c, t, h, w = x.shape
        return x.permute(0, 2, 1, 3, 4).reshape(-1, c, h, w)

    def to5d(self, x):
        _, c, h, w = x.shape
        return x.reshape(-1, self.frames, c, h, w).permute(0, 2, 1, 3, 4)

    @staticmethod
    def conv(m, x):
        if m.kernel_size[0] == 1 and m.stride[0] == 1:
            return F.conv2d(x, m.weight[:, :, 0], None, m.stride[1:], m.padding[1:], m.dilation[1:], m.groups)
        return None

    def temporal_as_shifts(self, m, x):
        """A (kt, 1, 1) convolution with temporal stride 1 as one 1x1 Conv2d producing every tap's
        output at once, then a shift-and-add over time: no Conv3d, and the 1x1 runs blocked."""
        kt, pt = m.kernel_size[0], m.padding[0]
        if m.kernel_size[1:] != (1, 1) or m.stride != (1, 1, 1) or m.dilation != (1, 1, 1) or m.groups != 1 or m.bias is not None or m.padding[1:] != (0, 0):
            return None
        cout = m.out_channels
        stacked = m.weight[:, :, :, 0, 0].permute(2, 0, 1).reshape(kt * cout, m.in_channels, 1, 1)
        z = F.conv2d(x, stacked)
        _, _, h, w = z.shape
        z = z.reshape(-1, self.frames, kt, cout, h, w)
        y = None
        for k in range(kt):
            shift = k - pt
            zk = z[:, :, k]
            if shift > 0:
                zk = torch.cat([zk[:, shift:], torch.zeros_like(zk[:, :shift])], dim=1)
            elif shift < 0:
                zk = torch.cat([torch.zeros_like(zk[:, shift:]), zk[:, :shift]], dim=1)
            y = zk if y is None else y + zk
        return y.reshape(-1, cout, h, w)

    def conv_any(self, m, x):
        y = self.conv(m, x)
        if y is None:
            y = self.temporal_as_shifts(m, x)
        return y if y is not None else self.to2d(m(self.to5d(x)))

    @staticmethod
    def norm(m, x):
        return F.batch_norm(x, m.running_mean, m.running_var, m.weight, m.bias, False, 0.0, m.eps)

    def forward(self, x):
        stem, *stages, head = self.net.blocks
        x = self.to2d(x)
        x = torch.relu(self.norm(stem.norm, self.conv_any(stem.conv, x)))
        if stem.pool is not None:
            x = F.max_pool2d(x, stem.pool.kernel_size[1:], stem.pool.stride[1:], stem.pool.padding[1:])
        for stage in stages:
            for block in stage.res_blocks:
                shortcut = x
                if block.branch1_conv is not None:
                    shortcut = self.norm(block.branch1_norm, self.conv_any(block.branch1_conv, x))
                b = block.branch2
                y = torch.relu(self.norm(b.norm_a, self.conv_any(b.conv_a, x)))
                y = torch.relu(self.norm(b.norm_b, self.conv_any(b.conv_b, y)))
                y = self.norm(b.norm_c, self.conv_any(b.conv_c, y))
                x = torch.relu(shortcut + y)
        if self.features:  # the pooled features per clip, [N, C] stated statically
            return pooled_features(head, self.to5d(x))
        # one score per clip, stated statically so the bundle check can read [N, 1] off the graph
        return head(self.to5d(x)).reshape(-1, 1)


def time_as_batch_possible(model):
    """Every temporal stride is 1 and there are no grouped/(2+1)D convolutions (slow_r50, resnet)."""
    for m in model.modules():
        if isinstance(m, (Conv2plus1d, SqueezeExcitation, ProjectedPool)):
            return False
        if isinstance(m, nn.Conv3d) and (m.stride[0] != 1 or m.groups != 1):
            return False
    return True


# --------------------------------------------------------------------------- model export


def build(args):
    """The network for --arch; a head pool larger than the input's feature map stops here."""
    shrink = bool(getattr(args, "shrink_head_pool", False))
    builders = {"slow_r50": slow_r50, "resnet": create_resnet_defaults, "csn": csn, "r2plus1d": r2plus1d}
    try:
        if args.arch in builders:
            return builders[args.arch](args.depth, args.width_scale, args.frames, args.size, shrink_head_pool=shrink)
        if args.arch == "x3d":
            return x3d(args.variant, args.width_scale, args.frames, args.size, shrink_head_pool=shrink)
    except HeadPoolTooLarge as error:
        raise SystemExit(f"--arch {args.arch} at {args.frames}x{args.size}: {error}")
    raise SystemExit(f"unknown architecture {args.arch}")


# What each architecture's recipe uses for clip length and crop size, and which of them the
# tool may assume without being told (the others must be given on the command line).
FRAME_RECIPES = {
    "slow_r50": (8, "slow_r50's 8x8 recipe (8 frames)"),
    "csn": (None, "csn_r101's recipe is 32x2 (32 frames)"),
    "r2plus1d": (None, "r2plus1d_r50's recipe is 16x4 (16 frames)"),
    "resnet": (None, "create_resnet has no clip-length recipe (its head pool is 4x7x7)"),
}


def resolve_input(args):
    """Fills args.frames/args.size where the recipe settles them and returns how each was chosen
    (for the manifest); where a default would be a guess, asks for the flag instead."""
    choice = {}
    if args.arch == "x3d":
        clip, train_crop, test1, test3 = X3D_VARIANTS[args.variant]
        recipe = (f"x3d_{args.variant} trains on {train_crop}x{train_crop} crops (the head pool is built for {train_crop}) and "
                  f"tests at {test1} with one spatial crop or {test3} with three (SlowFast's X3D_{args.variant.upper()} config)")
        if args.frames is None:
            args.frames = clip
            choice["frames"] = f"{clip}: default, x3d_{args.variant}'s hub input_clip_length"
        else:
            choice["frames"] = f"{args.frames}: --frames (x3d_{args.variant}'s hub input_clip_length is {clip})"
        if args.size is None:
            raise SystemExit(f"--arch x3d --variant {args.variant} needs --size: {recipe}. State the size the model is to run at.")
        choice["size"] = f"{args.size}: --size ({recipe})"
        return choice
    default_frames, frames_recipe = FRAME_RECIPES[args.arch]
    if args.frames is None:
        if default_frames is None:
            raise SystemExit(f"--arch {args.arch} needs --frames: {frames_recipe}. State the clip length the model was trained on.")
        args.frames = default_frames
        choice["frames"] = f"{default_frames}: default, {frames_recipe}"
    else:
        choice["frames"] = f"{args.frames}: --frames ({frames_recipe})"
    if args.size is None:
        args.size = 224
        choice["size"] = "224: default, the 224x224 crop of pytorchvideo's ResNet-family recipes (the head pool's 7x7 fits it)"
    else:
        choice["size"] = f"{args.size}: --size"
    return choice


def projection_keys(model):
    """The state_dict keys of the head's final projection (blocks.<last>.proj.weight/bias)."""
    return [f"blocks.{len(model.blocks) - 1}.proj.{name}" for name in ("weight", "bias")]


def load_checkpoint(model, path, label, without_projection=False):
    """A Walk_Video_PyTorch Lightning checkpoint: state_dict keys prefixed 'model.'; every key
    must fit (same names, same shapes, none missing, none left over), then load_state_dict(strict=True).
    without_projection (--features): the head's projection keys are not compared or loaded, so a
    checkpoint with any projection (one ASD logit, 400 Kinetics classes) or none fits; returns
    the shape of the checkpoint's projection weight (None when it has none)."""
    state = torch.load(path, map_location="cpu")
    state = state.get("state_dict", state)
    stripped = {k[len("model."):]: v for k, v in state.items() if k.startswith("model.")}
    if not stripped:
        raise SystemExit("the checkpoint has no keys prefixed 'model.' (is it a Walk_Video_PyTorch Lightning checkpoint?)")
    own = model.state_dict()
    dropped = None
    if without_projection:
        weight_key = projection_keys(model)[0]
        dropped = list(stripped[weight_key].shape) if weight_key in stripped else None
        for key in projection_keys(model):
            stripped.pop(key, None)
            own.pop(key, None)
    missing = [k for k in own if k not in stripped]
    unexpected = [k for k in stripped if k not in own]
    shapes = [f"{k} {list(stripped[k].shape)} vs {list(own[k].shape)}" for k in own if k in stripped and tuple(stripped[k].shape) != tuple(own[k].shape)]
    if missing or unexpected or shapes:
        raise SystemExit(f"the checkpoint does not fit {label}: {len(missing)} missing {missing[:4]}, {len(unexpected)} unexpected {unexpected[:4]}, "
                         f"{len(shapes)} of another shape (checkpoint vs model) {shapes[:4]}")
    if without_projection:
        model.load_state_dict(stripped, strict=False)  # every key but the projection's, checked above
        return dropped
    model.load_state_dict(stripped, strict=True)
    return None


def file_sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def randomise_norms(model, generator):
    """Random weights with plausible batch-norm statistics, so activations keep a sane range."""
    for m in model.modules():
        if isinstance(m, nn.BatchNorm3d):
            with torch.no_grad():
                m.running_mean.copy_(torch.rand(m.num_features, generator=generator) * 0.2 - 0.1)
                m.running_var.copy_(torch.rand(m.num_features, generator=generator) + 0.5)
                m.weight.copy_(torch.rand(m.num_features, generator=generator) + 0.5)
                m.bias.copy_(torch.rand(m.num_features, generator=generator) * 0.2 - 0.1)


def model_name(args):
    if args.arch == "x3d":
        return f"x3d_{args.variant}"
    if args.arch in ("slow_r50", "resnet"):
        return f"{args.arch}" if args.depth == 50 and args.arch == "slow_r50" else f"{args.arch}{args.depth}"
    return f"{args.arch}_r{args.depth}"


def normalised_pixels(pixels):
    """The reference transforms on uint8 values: Div255 then Normalize(0.45, 0.225), float32."""
    x = pixels.to(torch.float32) / 255.0
    return (x - torch.tensor(0.45)) / torch.tensor(0.225)


def reference_pixels(batch, frames, size, seed):
    """Clips that differ a lot: noise, then moving bright bars on a dark ramp, then their mix."""
    g = torch.Generator().manual_seed(seed)
    noise = torch.randint(0, 256, (batch, 3, frames, size, size), generator=g, dtype=torch.int32).float()
    t = torch.arange(frames).view(1, frames, 1, 1).float()
    y = torch.arange(size).view(1, 1, size, 1).float()
    x = torch.arange(size).view(1, 1, 1, size).float()
    channel = torch.arange(3).view(3, 1, 1, 1).float()
    bars = 40 + 60 * y / size + 150 * (torch.sin((x + 3 * t) * 0.6 + channel) > 0.3).float()
    out = noise.clone()
    for b in range(1, batch):
        out[b] = bars if b % 2 == 1 else 0.5 * (noise[b] + bars)
    return out.clamp(0, 255).round().to(torch.uint8)


def prepare_model(args):
    """The model to export: built, then loaded from a checkpoint or given random weights."""
    torch.manual_seed(args.seed)
    model, details = build(args)
    model.eval()
    if args.checkpoint:
        shape = f"variant {args.variant}" if args.arch == "x3d" else f"depth {args.depth}"
        dropped = load_checkpoint(model, args.checkpoint, f"--arch {args.arch} ({shape}, width x{args.width_scale:g})", without_projection=args.features)
        if args.features:
            details["projectionDropped"] = {"checkpointWeightShape": dropped, "note": "the checkpoint's final projection is not in the graph" if dropped else "the checkpoint has no final projection"}
    else:
        randomise_norms(model, torch.Generator().manual_seed(args.seed))
        if args.calibrate_norms:
            # Random deep nets map every clip to nearly the same output; batch-norm statistics
            # measured on a few synthetic clips keep the features apart, so the reference
            # outputs differ clearly between clips and a parity test has something to compare.
            for m in model.modules():
                if isinstance(m, nn.BatchNorm3d):
                    m.reset_running_stats()
                    m.momentum = None
            model.train()
            with torch.no_grad():
                model(normalised_pixels(reference_pixels(4, args.frames, args.size, args.seed + 7)))
                for m in model.modules():  # no near-zero variances: they would amplify float rounding
                    if isinstance(m, nn.BatchNorm3d):
                        m.running_var.clamp_(min=float(m.running_var.mean()) * 0.25 + 1e-3)
                # Small residual branches, as trained ResNets have (cf. zero_init_final_bn): without
                # this, 50 random blocks amplify float32 rounding to ~1e-4 (torch float32 vs float64).
                for m in model.modules():
                    if isinstance(m, BottleneckBlock):
                        m.norm_c.weight.mul_(0.2)
                        m.norm_c.bias.mul_(0.2)
            model.eval()
        with torch.no_grad():  # a projection wide enough that different clips give clearly different logits
            proj = model.blocks[-1].proj
            proj.weight.normal_(0, 20 / math.sqrt(proj.in_features), generator=torch.Generator().manual_seed(args.seed + 2))
    return model, details


LAYOUT_RTOL = 1e-4


def layout_gap(got, want):
    """The time-as-batch self-check, relative: every |got - want| <= 1e-4 * max(1, |want|), so a
    checkpoint with large logits is held to float32's relative precision, not to an absolute
    1e-4 that its rounding alone can exceed. Returns (max |diff|, max |want|, passed)."""
    diff = (got - want).abs()
    allowed = LAYOUT_RTOL * want.abs().clamp(min=1.0)
    return float(diff.max()), float(want.abs().max()), bool((diff <= allowed).all())


def export(args):
    model, details = prepare_model(args)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    dummy = torch.zeros(1, 3, args.frames, args.size, args.size)
    if args.layout == "time-as-batch" and not time_as_batch_possible(model):
        raise SystemExit("--layout time-as-batch needs temporal stride 1 and no grouped or (2+1)D convolutions (slow_r50, resnet)")
    layout = args.layout
    if layout == "auto":
        # the same arithmetic, laid out for onnxruntime's fast 2D kernels, where the model allows it
        layout = "time-as-batch" if time_as_batch_possible(model) else "ncthw"
    reference = FeatureNet(model).eval() if args.features else model  # what the graph must compute, in NCTHW
    exported = TimeAsBatch(model, args.frames, features=args.features).eval() if layout == "time-as-batch" else reference
    what = "features" if args.features else "logits"
    if layout == "time-as-batch":
        with torch.no_grad():
            check = normalised_pixels(reference_pixels(2, args.frames, args.size, args.seed + 11))
            gap, scale, ok = layout_gap(exported(check), reference(check))
        if not ok:
            raise SystemExit(f"time-as-batch layout differs from the model by {gap:.3g} on {what} up to {scale:.3g} (allowed {LAYOUT_RTOL:g} x max(1, |value|))")
        details["exportLayout"] = f"time-as-batch (Conv2d where the temporal kernel is 1, temporal (k,1,1) kernels as 1x1 Conv2d plus shifts in time); max |diff| to the NCTHW forward {gap:.1e} on {what} up to {scale:.2g}"
    feature_size = model.blocks[-1].proj.in_features
    if args.features:
        # the dropped projection applied to the features gives the classifier's logit
        with torch.no_grad():
            check = normalised_pixels(reference_pixels(2, args.frames, args.size, args.seed + 13))
            gap, scale, ok = layout_gap(model.blocks[-1].proj(reference(check)), model(check))
        if not ok:
            raise SystemExit(f"projection(features) differs from the classifier's logit by {gap:.3g} on logits up to {scale:.3g}")
        details["featuresCheck"] = f"the head's projection applied to these features gives the classifier's logit: max |diff| {gap:.1e} on logits up to {scale:.2g}"
    output_name = "features" if args.features else "logit"
    torch.onnx.export(exported, dummy, str(out / "model.onnx"), input_names=["video"], output_names=[output_name],
                      dynamic_axes={"video": {0: "batch"}, output_name: {0: "batch"}}, opset_version=args.opset, do_constant_folding=True)
    sha = hashlib.sha256((out / "model.onnx").read_bytes()).hexdigest()
    name = model_name(args)
    tiny = args.width_scale != 1
    kind = "features" if args.features else None
    if args.checkpoint:
        # Nothing is known of a checkpoint's training but its bytes: it is named after its file
        # and SHA-256, and training facts appear only where the user states them.
        ckpt_sha = file_sha256(args.checkpoint)
        ckpt_file = Path(args.checkpoint).name
        default_id = f"{name}{'-' + kind if kind else ''}-{ckpt_sha[:12]}"
        default_name = f"{name}{' ' + kind if kind else ''} from {ckpt_file} (sha256 {ckpt_sha[:12]})"
        provenance = {
            "trainingData": args.trained_on or "not stated: exported from a checkpoint; nothing is known of its training",
            "checkpoint": {"file": ckpt_file, "sha256": ckpt_sha},
            "weights": f"from the checkpoint {ckpt_file}",
        }
        if args.validated:
            provenance["validation"] = args.validated
        intended = args.intended_use or "Not stated when exported. Research only unless a validation is stated."
        authors = [args.author] if args.author else []
    else:
        default_id = f"{name}{'-w' + format(args.width_scale, 'g') if tiny else ''}-t{args.frames}-{args.size}-random{'-' + kind if kind else ''}"
        default_name = f"{name}{' ' + kind if kind else ''} {args.frames}x{args.size}{' width x' + format(args.width_scale, 'g') if tiny else ''} (random weights)"
        provenance = {"trainingData": "none: randomly initialised weights, for software testing only", "weights": "random, for tests only"}
        intended = "Software testing only. Random weights: not for any clinical or research conclusion."
        authors = [args.author] if args.author else ["WalkScope tools/models/export_reference.py"]
    manifest = {
        "schemaVersion": 1,
        "id": args.id or default_id,
        "name": args.name or default_name,
        "version": args.version,
        "architecture": {
            "family": args.arch, "depth": None if args.arch == "x3d" else args.depth, "variant": args.variant if args.arch == "x3d" else None,
            "widthScale": args.width_scale, "builder": "tools/models/export_reference.py (pytorchvideo module names)",
            "headActivation": ("none: the graph ends at the head's pooled features, before its dropout and final projection" if args.features
                               else "none: the raw logit (pytorchvideo's Softmax(dim=1) over one class would always be 1)"),
            "inputChoice": args.input_choice,
            **details,
        },
        "input": {"name": "video", "frames": args.frames, "clipSeconds": args.clip_seconds, "size": args.size, "layout": "NCTHW",
                  "mean": [0.45, 0.45, 0.45], "std": [0.225, 0.225, 0.225], "colourOrder": "RGB", "fps": 30},
        **({"output": {"name": "features", "kind": "features", "featureSize": feature_size,
                       "note": f"the pooled {feature_size} features of each clip (the head's average pool, before its dropout and final projection): a feature backbone, with no verdict of its own; a head trained on these features makes a classifier"}}
           if args.features else
           {"output": {"name": "logit", "kind": "logit", "positiveClass": args.positive_class, "classNames": ["ASD", "ASD_not"],
                       "note": "Walk_Video_PyTorch labels come from sorted folder names (ASD = 0, ASD_not = 1), so sigmoid(logit) is P(ASD_not)."},
            "threshold": args.threshold}),
        "provenance": {
            **provenance,
            "crossValidatedMetrics": None,
            "date": datetime.date.today().isoformat(),
            "authors": authors,
            "exportedWith": f"tools/models/export_reference.py, torch {torch.__version__}, opset {args.opset}",
        },
        "intendedUse": intended,
        "validated": bool(args.checkpoint and args.validated),
        "modelSha256": sha,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    if args.reference_io:
        pixels = reference_pixels(args.reference_batch, args.frames, args.size, args.seed + 1)
        with torch.no_grad():
            ref_out = reference(normalised_pixels(pixels))
        (out / "reference_input.u8").write_bytes(pixels.numpy().tobytes())
        (out / "reference_output.bin").write_bytes(ref_out.contiguous().numpy().astype("<f4").tobytes())
        (out / "reference.json").write_text(json.dumps({
            "input": list(pixels.shape), "inputEncoding": "uint8 pixels; model input = (float32(p) / 255 - 0.45) / 0.225 in float32",
            "output": list(ref_out.shape), "torch": torch.__version__,
        }) + "\n")
    print(json.dumps({"out": str(out), "sha256": sha, "bytes": (out / "model.onnx").stat().st_size, "parameters": sum(p.numel() for p in model.parameters()) - (sum(p.numel() for p in model.blocks[-1].proj.parameters()) if args.features else 0),
                      **({"featureSize": feature_size} if args.features else {})}))


# ------------------------------------------------------------------ reference preprocessing


def uniform_clip_sampler(duration, clip_duration, stride=None, backpad_last=False, eps=1e-6):
    """pytorchvideo.data.clip_sampling.UniformClipSampler, as LabeledVideoDataset drives it:
    clips are taken until the sampler says is_last_clip (the next clip would end past the video)."""
    clip_duration = Fraction(clip_duration)
    stride = Fraction(stride) if stride is not None else clip_duration
    delta = stride - clip_duration

    def start_end(last_end):
        start = Fraction((-delta if last_end is None else last_end) + delta)
        end = start + clip_duration
        if backpad_last:
            start = max(Fraction(0), start - max(0, end - duration))
            end = start + clip_duration
        return start, end

    clips, last_end = [], None
    while True:
        start, end = start_end(last_end)
        _, next_end = start_end(end)
        last = abs(next_end - end) < eps if backpad_last else (next_end - duration) > eps
        clips.append((start, end))
        last_end = end
        if last:
            return clips


def secs_to_pts(secs, time_base, start_pts):
    """pytorchvideo.data.utils.secs_to_pts with round_mode='ceil'."""
    return math.ceil(Fraction(secs) / Fraction(time_base)) + start_pts


def uniform_temporal_subsample_indices(t, num_samples):
    return torch.clamp(torch.linspace(0, t - 1, num_samples), 0, t - 1).long()


def preprocess(args):
    import av
    import torchvision.transforms as T

    container = av.open(args.video)
    stream = container.streams.video[0]
    time_base = stream.time_base
    start_pts = stream.start_time or 0
    frames, pts = [], []
    for frame in container.decode(stream):
        if args.decode_width:
            frame = frame.reformat(width=args.decode_width, height=args.decode_height, format="rgb24", interpolation="BILINEAR")
        frames.append(torch.from_numpy(frame.to_ndarray(format="rgb24")))
        pts.append(frame.pts)
    duration = Fraction(stream.duration) * time_base if stream.duration else Fraction(pts[-1] - start_pts) * time_base
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    clips = []
    mean, std = [0.45] * 3, [0.225] * 3
    for k, (start, end) in enumerate(uniform_clip_sampler(duration, Fraction(args.clip_seconds).limit_denominator(1000))):
        lo, hi = secs_to_pts(start, time_base, start_pts), secs_to_pts(end, time_base, start_pts)
        in_clip = [i for i, p in enumerate(pts) if lo <= p < hi]
        if k >= args.max_clips:  # only the sampled indices of the remaining clips
            sub = uniform_temporal_subsample_indices(len(in_clip), args.frames).tolist() if in_clip else []
            clips.append({"index": k, "startSec": float(start), "endSec": float(end), "framesInClip": len(in_clip), "frameIndices": [in_clip[i] for i in sub]})
            continue
        # EncodedVideo.get_clip -> float32 C,T,H,W
        video = torch.stack([frames[i] for i in in_clip]).permute(3, 0, 1, 2).to(torch.float32)
        sub = uniform_temporal_subsample_indices(video.shape[1], args.frames)
        video = torch.index_select(video, 1, sub)  # UniformTemporalSubsample
        video = video / 255.0  # Div255
        video = T.Normalize(mean, std)(video.permute(1, 0, 2, 3)).permute(1, 0, 2, 3)  # pytorchvideo Normalize
        chosen = [in_clip[i] for i in sub.tolist()]
        (out / f"clip{k}_frames.rgb.gz").write_bytes(gzip.compress(b"".join(frames[i].numpy().tobytes() for i in chosen), 9))
        expected = {}
        for size in [args.size] + [int(x) for x in args.extra_sizes.split(",") if x]:
            resized = T.Resize([size, size])(video)  # torchvision 0.14: bilinear, no antialias on tensors
            flat = resized.contiguous().view(-1)
            step = max(1, flat.numel() // args.samples)
            if step > 1 and step % 2 == 0:
                step += 1
            (out / f"clip{k}_expected_{size}.bin").write_bytes(flat[::step].numpy().astype("<f4").tobytes())
            expected[str(size)] = {"shape": list(resized.shape), "step": step, "sum": float(flat.double().sum()), "absMax": float(flat.abs().max())}
        clips.append({"index": k, "startSec": float(start), "endSec": float(end), "framesInClip": len(in_clip), "frameIndices": chosen, "expected": expected})
    h, w = frames[0].shape[:2]
    (out / "reference.json").write_text(json.dumps({
        "video": Path(args.video).name, "decodedWidth": int(w), "decodedHeight": int(h), "frameCount": len(frames),
        "frameTimes": [float(Fraction(p - start_pts) * time_base) for p in pts], "durationSec": float(duration),
        "clipSeconds": args.clip_seconds, "frames": args.frames, "size": args.size, "mean": mean, "std": std,
        "decoder": f"PyAV {av.__version__}" + (f", reformat to {args.decode_width}x{args.decode_height} bilinear" if args.decode_width else ""),
        "transforms": "UniformTemporalSubsample, Div255, Normalize(0.45, 0.225), torchvision Resize([size, size])",
        "clips": clips, "torch": torch.__version__,
    }) + "\n")
    print(json.dumps({"out": str(out), "clips": len(clips), "frameCount": len(frames), "duration": float(duration)}))


# ----------------------------------------------------------------------------- bench, indices


def bench(args):
    torch.manual_seed(0)
    torch.set_num_threads(args.threads)
    model, _ = build(args)
    model.eval()
    x = torch.randn(1, 3, args.frames, args.size, args.size)
    with torch.no_grad():
        model(x)
        times = []
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            model(x)
            times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    print(json.dumps({"arch": args.arch, "frames": args.frames, "size": args.size, "msPerClip": times[len(times) // 2], "allMs": times, "threads": args.threads, "torch": torch.__version__}))


def indices(args):
    table = {}
    for frames in (8, 16, 32, 64):
        for t in list(range(1, 121)) + [150, 199, 240, 301]:
            table[f"{t}:{frames}"] = uniform_temporal_subsample_indices(t, frames).tolist()
    print(json.dumps({"torch": torch.__version__, "indices": table}))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("mode", choices=["export", "preprocess", "bench", "indices"])
    p.add_argument("--arch", default="slow_r50", choices=["slow_r50", "resnet", "x3d", "csn", "r2plus1d"])
    p.add_argument("--depth", type=int, choices=[50, 101, 152], help="default 50 (csn: 101)")
    p.add_argument("--variant", default="s", choices=sorted(X3D_VARIANTS))
    p.add_argument("--width-scale", type=float, default=1.0, help="channel multiplier; < 1 for tiny test fixtures")
    p.add_argument("--frames", type=int, help="T. Required for csn (recipe 32), r2plus1d (recipe 16) and resnet; default 8 for slow_r50 (8x8 recipe), the hub clip length for x3d (4/13/16 for xs/s/m)")
    p.add_argument("--size", type=int, help="Required for x3d (xs/s train at 160 and test at 160 or 182; m trains at 224, tests at 224 or 256); default 224 for the others")
    p.add_argument("--shrink-head-pool", action="store_true", help="allow clamping the head's AvgPool3d kernel to a feature map smaller than the recipe's (tiny test fixtures); recorded in the manifest")
    p.add_argument("--clip-seconds", type=float, default=1.0)
    p.add_argument("--opset", type=int, default=13)
    p.add_argument("--layout", default="auto", choices=["auto", "ncthw", "time-as-batch"],
                   help="auto (default): time-as-batch where the model allows it (slow_r50/resnet), else ncthw. time-as-batch: frames folded into the batch, Conv2d where the temporal kernel is 1 and (k,1,1) kernels as a 1x1 Conv2d plus shifts in time; slow_r50 8x224 measured 293 vs 381 ms per clip in onnxruntime 1.30 on 2 cores")
    p.add_argument("--checkpoint", help="Walk_Video_PyTorch Lightning .ckpt (keys prefixed 'model.')")
    p.add_argument("--validated", metavar="STATEMENT", help="with --checkpoint: who validated the model for its intended use, how and on what (recorded; sets validated: true)")
    p.add_argument("--features", action="store_true", help="export without the final projection: a feature backbone whose output is the pooled features per clip ([N, C]; manifest output.kind \"features\", no classes, no threshold)")
    p.add_argument("--positive-class", help="the class sigmoid(logit) measures (default and reference: ASD_not)")
    p.add_argument("--threshold", type=float, help="P(ASD) threshold for the verdict (default 0.5)")
    p.add_argument("--trained-on", "--training-data", dest="trained_on", metavar="STATEMENT", help="with --checkpoint: what the model was trained on (recorded as provenance.trainingData)")
    p.add_argument("--intended-use", metavar="STATEMENT", help="with --checkpoint: the intended use (default: not stated, research only)")
    p.add_argument("--author")
    p.add_argument("--id")
    p.add_argument("--name")
    p.add_argument("--version", default="0.0.1")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out")
    p.add_argument("--reference-io", action="store_true")
    p.add_argument("--reference-batch", type=int, default=2)
    p.add_argument("--calibrate-norms", action="store_true", help="random weights: batch-norm statistics from synthetic clips (test fixtures)")
    p.add_argument("--video")
    p.add_argument("--decode-width", type=int)
    p.add_argument("--decode-height", type=int)
    p.add_argument("--max-clips", type=int, default=1, help="clips whose frames and expected tensor are written (all clips get their indices)")
    p.add_argument("--samples", type=int, default=20000, help="expected values kept per clip (every k-th)")
    p.add_argument("--extra-sizes", default="", help="preprocess: also resize to these sizes (comma-separated)")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--repeats", type=int, default=5)
    args = p.parse_args()
    if args.depth is None:
        args.depth = 101 if args.arch == "csn" else 50
    if args.mode in ("export", "bench"):
        if not args.checkpoint and (args.trained_on or args.validated or args.intended_use):
            p.error("--trained-on, --validated and --intended-use describe a checkpoint; without --checkpoint the weights are random")
        if args.features and (args.threshold is not None or args.positive_class is not None):
            p.error("--threshold and --positive-class describe a classifier; a --features bundle gives no verdict")
        args.positive_class = args.positive_class or "ASD_not"
        args.threshold = 0.5 if args.threshold is None else args.threshold
        args.input_choice = resolve_input(args)
        for key, text in args.input_choice.items():
            if ": default" in text:
                print(f"export_reference: {key} {text}", file=sys.stderr)
    else:  # preprocess: the reference transforms at the sizes asked for
        args.frames = args.frames or 8
        args.size = args.size or 224
    {"export": export, "preprocess": preprocess, "bench": bench, "indices": indices}[args.mode](args)


if __name__ == "__main__":
    main()
