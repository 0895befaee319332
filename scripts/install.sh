#!/usr/bin/env bash
# Installs a built tonghop: install.sh BINARY PREFIX [SOURCE-TREE]
#   PREFIX/bin/tonghop                               the program
#   PREFIX/share/tonghop/templates/<plan>/           every plan folder of templates/ (with plan.yml)
#   PREFIX/share/tonghop/templates/report/           the report templates
#   PREFIX/share/tonghop/huong-dan-su-dung.md        the guide
# The program finds the plan and report templates there (<bin>/../share/tonghop) when neither
# --plan, TONGHOP_PLAN, tonghop.yml nor ./templates names one. `make install` calls this with
# the release build; the end-to-end tests with the debug build.
set -euo pipefail
binary=${1:?usage: install.sh BINARY PREFIX [SOURCE-TREE]}
prefix=${2:?usage: install.sh BINARY PREFIX [SOURCE-TREE]}
tree=${3:-$(cd "$(dirname "$0")/.." && pwd)}
share="$prefix/share/tonghop"

[ -x "$binary" ] || { echo "install.sh: no program $binary (build it first)" >&2; exit 2; }
install -d "$prefix/bin" "$share/templates"
install -m 0755 "$binary" "$prefix/bin/tonghop"
copied=()
for folder in "$tree"/templates/*/; do
  name=$(basename "$folder")
  if [ "$name" = report ] || [ -f "$folder/plan.yml" ]; then
    # A folder of the same name from an earlier install is replaced, not merged into.
    rm -rf "${share:?}/templates/$name"
    cp -R "$folder" "$share/templates/$name"
    copied+=("$name")
  fi
done
[ -f "$share/templates/report/index.mustache" ] || { echo "install.sh: no report templates in $tree/templates/report" >&2; exit 2; }
install -m 0644 "$tree/docs/huong-dan-su-dung.md" "$share/huong-dan-su-dung.md"
echo "tonghop installed: $prefix/bin/tonghop; templates (${copied[*]}) and the guide in $share"
