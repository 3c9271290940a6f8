#!/usr/bin/env bash
# Jupyter for the notebooks: Debian's nbconvert/nbclient/ipykernel/jupyter-client (apt, only the
# ones missing), and the project's tslab kernel registered in a project-local kernel folder:
#
#   node_modules/.cache/gaitid-jupyter/kernels/tslab/kernel.json
#
# whose argv names the absolute paths of this node and of node_modules/tslab/bin/tslab, so the
# kernel starts without tslab or node on PATH and from any working directory. Point Jupyter at it
# with JUPYTER_PATH=<repo>/node_modules/.cache/gaitid-jupyter (scripts/notebooks.sh does).
#
#   bash scripts/setup-jupyter.sh           # install what is missing, register the kernel
#   bash scripts/setup-jupyter.sh --user    # also register it for your user (JupyterLab sees it
#                                           # without JUPYTER_PATH)
#
# Idempotent; about a second when everything is there. apt-get needs root (or sudo).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"

USER_INSTALL=0
for arg in "$@"; do
  case "$arg" in
    --user) USER_INSTALL=1 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "setup-jupyter: unknown option '$arg' (valid: --user, --help)" >&2; exit 2 ;;
  esac
done

need=()
for pkg in jupyter-nbconvert python3-nbclient python3-ipykernel jupyter-client; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
  echo "setup-jupyter: installing ${need[*]} with apt-get"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

# Debian's Python sees Debian's packages; a pyenv or venv python3 earlier on PATH may not.
PY=/usr/bin/python3
if ! "$PY" -c "import nbconvert, nbclient, ipykernel, jupyter_client" 2>/dev/null; then
  echo "setup-jupyter: $PY cannot import nbconvert, nbclient, ipykernel and jupyter_client after the install" >&2
  exit 1
fi

NODE="$(command -v node)"
NODE="$(cd "$(dirname "$NODE")" && pwd -P)/$(basename "$NODE")"
TSLAB="$ROOT/node_modules/tslab/bin/tslab"
if [ ! -f "$TSLAB" ]; then
  echo "setup-jupyter: $TSLAB is missing; run npm ci (tslab is a devDependency)" >&2
  exit 1
fi

JUPYTER_DIR="$ROOT/node_modules/.cache/gaitid-jupyter"
SPEC="$JUPYTER_DIR/kernels/tslab"
mkdir -p "$SPEC"
"$PY" - "$SPEC" "$NODE" "$TSLAB" <<'PY'
import json, os, sys
spec, node, tslab = sys.argv[1:4]
kernel = {
    "argv": [node, tslab, "kernel", "--config-path", "{connection_file}"],
    "display_name": "TypeScript (gaitid)",
    "language": "typescript",
}
path = os.path.join(spec, "kernel.json")
tmp = path + ".tmp"
with open(tmp, "w") as f:
    json.dump(kernel, f, indent=1, sort_keys=True)
    f.write("\n")
os.replace(tmp, path)
PY

if [ "$USER_INSTALL" = 1 ]; then
  dest="$("$PY" -c "import sys; from jupyter_client.kernelspec import KernelSpecManager as K; print(K().install_kernel_spec(sys.argv[1], 'tslab', user=True))" "$SPEC")"
  echo "setup-jupyter: tslab kernel registered for $(id -un) too: $dest"
fi

JUPYTER_PATH="$JUPYTER_DIR" "$PY" -c "
from jupyter_client.kernelspec import KernelSpecManager
s = KernelSpecManager().get_kernel_spec('tslab')
print('setup-jupyter: kernel tslab ->', ' '.join(s.argv[:2]), '(JUPYTER_PATH=$JUPYTER_DIR)')"
