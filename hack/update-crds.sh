#!/usr/bin/env bash
# Regenerates the committed files derived from the API types (src/main/java/dev/floatip/api/v1alpha1):
#   crds/virtualips.floatip.dev.yaml                   the VirtualIP CRD (Fabric8 CRDGenerator + post-processing)
#   README.md "API reference" block                    the spec fields table
#   helm/floatip/files/crds/virtualips.floatip.dev.yaml  a copy of the CRD for the chart
# The test command (hack/test.sh) fails while they are stale; this script is the fix.
set -euo pipefail
cd "$(dirname "$0")/.."
. hack/setup.sh
floatip_setup
"$MVN" -B -ntp -q test -Dfloatip.update=true -Dtest='CrdFileTest,ApiReferenceTest' \
  -Dsurefire.failIfNoSpecifiedTests=false "$@"
# The chart renders this copy as a template (helm/floatip/templates/crd.yaml), not from crds/: Helm
# never upgrades crds/, and `helm upgrade` must apply CRD changes. HelmChartTest checks the copy.
cp crds/virtualips.floatip.dev.yaml helm/floatip/files/crds/virtualips.floatip.dev.yaml
