#!/usr/bin/python3
"""Expected temporal subsample indices from torch (float32 linspace, clamp, truncation), as
pytorchvideo's UniformTemporalSubsample computes them. Writes test/fixtures/models/subsample_indices.json."""
import json
from pathlib import Path

import torch

out = {}
for frames in (8, 16, 32, 64):
    for t in list(range(1, 121)) + [150, 199, 240, 301]:
        idx = torch.clamp(torch.linspace(0, t - 1, frames), 0, t - 1).long().tolist()
        out[f"{t}:{frames}"] = idx
path = Path(__file__).resolve().parents[2] / "test" / "fixtures" / "models" / "subsample_indices.json"
path.write_text(json.dumps({"torch": torch.__version__, "indices": out}))
print(f"wrote {path}")
