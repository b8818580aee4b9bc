#!/usr/bin/env bash
# Prints the path of a Python >= 3.12 interpreter, or explains on stderr and exits 1.
set -u
candidates=()
[ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
candidates+=(python3.14 python3.13 python3.12 python3)
if command -v pyenv >/dev/null 2>&1; then
    root=$(pyenv root 2>/dev/null)
    for v in "$root"/versions/3.1[2-9]*/bin/python3; do [ -x "$v" ] && candidates+=("$v"); done
fi
for c in "${candidates[@]}"; do
    path=$(command -v "$c" 2>/dev/null) || continue
    if "$path" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
        echo "$path"
        exit 0
    fi
done
echo "Samverkan behöver Python 3.12 eller senare, och ingen hittades." >&2
echo "Installera Python 3.12+ (t.ex. 'pyenv install 3.12') eller ange sökvägen: make run PYTHON=/sökväg/python3.12" >&2
exit 1
