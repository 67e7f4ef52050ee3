#!/usr/bin/env bash
# Every C++ file under services/ and tests/ is formatted as .clang-format
# says (Google style, 100 columns). Fix with:
#   find services tests -name '*.cc' -o -name '*.h' | xargs clang-format -i
set -euo pipefail
cd "${1:-$(dirname "$0")/../..}"
unformatted=()
while IFS= read -r -d '' file; do
  if ! clang-format --dry-run --Werror "$file" >/dev/null 2>&1; then
    unformatted+=("$file")
  fi
done < <(find services tests \( -name '*.cc' -o -name '*.h' \) -not -path 'tests/fuzz/corpus/*' -print0)
if [ ${#unformatted[@]} -gt 0 ]; then
  echo "not formatted as .clang-format says (clang-format -i FILE):" >&2
  printf '  %s\n' "${unformatted[@]}" >&2
  exit 1
fi
echo "all C++ files formatted"
