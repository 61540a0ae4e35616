#!/bin/sh
# Regenerates the committed stage 2 test fixtures (tiny-width models with reference batches,
# the reference preprocessing of a real 30 fps clip, torch's subsample indices).
# Needs Debian's python3-torch; the preprocess step also python3-av and
# python3-torchvision (python3-torch does not pull it in).
set -e
cd "$(dirname "$0")/../.."
py=/usr/bin/python3
tool=tools/models/export_reference.py
fx=test/fixtures/models
rm -rf "$fx"/*-tiny "$fx"/*-tiny-features
$py $tool export --arch slow_r50 --width-scale 0.03125 --frames 8 --size 64 --shrink-head-pool --reference-io --calibrate-norms --id slow_r50-tiny-test --out $fx/slow_r50-tiny
$py $tool export --arch csn --depth 101 --width-scale 0.03125 --frames 8 --size 48 --shrink-head-pool --reference-io --calibrate-norms --id csn-tiny-test --out $fx/csn-tiny
$py $tool export --arch r2plus1d --depth 50 --width-scale 0.03125 --frames 8 --size 48 --shrink-head-pool --reference-io --calibrate-norms --id r2plus1d-tiny-test --out $fx/r2plus1d-tiny
$py $tool export --arch x3d --variant s --width-scale 0.0625 --frames 4 --size 48 --shrink-head-pool --reference-io --calibrate-norms --id x3d-tiny-test --out $fx/x3d-tiny
# A feature backbone (--features: no final projection, output [N, 64] at this width)
$py $tool export --arch slow_r50 --width-scale 0.03125 --frames 8 --size 64 --shrink-head-pool --features --reference-io --calibrate-norms --id slow_r50-tiny-features-test --out $fx/slow_r50-tiny-features
$py $tool indices > $fx/subsample_indices.json
# A real 30 fps clip, decoded by PyAV and scaled to 160x90 while decoding (small fixture);
# the transforms (Div255, Normalize, Resize to 224) then run on exactly these frames.
rm -rf $fx/preprocess-sports2d
$py $tool preprocess --video ../shared/testdata/videos/sports2d_demo_sideview_walk_2people_h264_720p.mp4 \
  --decode-width 160 --decode-height 90 --frames 8 --clip-seconds 2 --size 224 --max-clips 1 --extra-sizes 64 --out $fx/preprocess-sports2d
