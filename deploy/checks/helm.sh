#!/usr/bin/env bash
# The Helm chart, checked without a cluster: `helm lint --strict` and `helm template` piped into kubeconform (strict,
# Kubernetes 1.33 schemas from the kubernetes-validate wheel, offline: deploy/helm/kube_schemas.py), with the
# default values and with each CI values file in the chart's ci/ folder. helm and kubeconform: scripts/install-deps.
set -euo pipefail
cd "$(dirname "$0")/../.."

chart=deploy/helm/archive-service
kubernetes_version=${KUBERNETES_VERSION:-1.33.0}
PATH="$PWD/.tools/bin:$PATH"
for tool in helm kubeconform; do
  command -v "$tool" >/dev/null || {
    echo "helm.sh: thiếu $tool / $tool not found — run scripts/install-deps (it builds .tools/bin/$tool)" >&2
    exit 1
  }
done

values=("")  # "" = the chart's defaults
for file in "$chart"/ci/*-values.yaml; do values+=("$file"); done

for file in "${values[@]}"; do
  args=()
  [ -n "$file" ] && args=(--values "$file")
  echo "-- ${file:-default values}"
  helm lint --strict --quiet "$chart" "${args[@]}"
  helm template archive "$chart" --namespace archive --kube-version "$kubernetes_version" "${args[@]}" |
    python3 deploy/helm/kube_schemas.py --kubernetes-version "$kubernetes_version"
done
