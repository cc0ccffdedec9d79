# Shared by ./run and ./test (sourced, not executed): create or refresh .venv.
#
# torch goes in first at an exact version: pip then satisfies pyproject's range with it
# instead of resolving a range to a multi-GB CUDA build. The install is skipped when
# pyproject.toml has not changed since the last successful one (a stamp file records it).

VENV_DIR="${MUSICMATCH_VENV:-.venv}"
VENV_PY="$VENV_DIR/bin/python"
TORCH_PIN="torch==2.13.0"

ensure_venv() {
    local extras="$1"
    local python="${PYTHON:-python3}"
    if [ ! -x "$VENV_PY" ]; then
        echo "== creating $VENV_DIR"
        "$python" -m venv "$VENV_DIR"
    fi
    local stamp="$VENV_DIR/.musicmatch-installed-$extras"
    local want
    want="$(cat pyproject.toml installer/venv.sh | sha256sum | cut -d' ' -f1)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        return 0
    fi
    echo "== installing MusicMatch[$extras] into $VENV_DIR"
    "$VENV_PY" -m pip install --quiet --upgrade pip
    "$VENV_PY" -m pip install --quiet "$TORCH_PIN"
    "$VENV_PY" -m pip install --quiet -e ".[$extras]"
    echo "$want" > "$stamp"
}
