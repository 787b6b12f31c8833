#!/usr/bin/env bash
# Runs molecule scenarios of extensions/molecule/ one after the other (`molecule test -s NAME`) and
# reports each one's result and time. No arguments: every scenario. Exit status 1 if any failed.
#   tools/molecule.sh                 every scenario
#   tools/molecule.sh lab_smoke ...   the named ones
# MOLECULE_ARGS (e.g. "--destroy=never") is passed to every `molecule test`. Logs: .cache/molecule-logs/.
# shellcheck source=tools/lib.sh
source "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || die "run as root: the lab uses rootful podman"
VENV=$(venv_dir)
[ -x "$VENV/bin/molecule" ] || die "no molecule in $VENV: run make setup"
export PATH="$VENV/bin:/usr/local/go/bin:$PATH" ANSIBLE_COLLECTIONS_PATH="$REPO/.cache/collections"
unset ANSIBLE_CONFIG  # molecule writes its own ansible.cfg per scenario
cd "$REPO" || exit

if [ $# -gt 0 ]; then
  scenarios=("$@")
else
  mapfile -t scenarios < <(find extensions/molecule -mindepth 2 -name molecule.yml -printf '%h\n' |
                           sed 's|^extensions/molecule/||' | sort)
fi
[ ${#scenarios[@]} -gt 0 ] || die "no scenarios under extensions/molecule"
for s in "${scenarios[@]}"; do
  [ -f "extensions/molecule/$s/molecule.yml" ] || die "no scenario $s (extensions/molecule/$s/molecule.yml)"
done

# Build or load the host image, upstream tree and Go archive once, before the first scenario times itself.
"$VENV/bin/python" lab/labctl.py prepare

logs="$REPO/.cache/molecule-logs"
mkdir -p "$logs"
results=() failed=0 total_start=$SECONDS
for s in "${scenarios[@]}"; do
  log "molecule test -s $s"
  start=$SECONDS
  # shellcheck disable=SC2086  # MOLECULE_ARGS is a list of words
  if molecule test -s "$s" ${MOLECULE_ARGS:-} 2>&1 | tee "$logs/${s//\//--}.log"; then
    status=passed
  else
    status=FAILED failed=1
  fi
  results+=("$(printf '%-32s %-7s %4ss' "$s" "$status" $((SECONDS - start)))")
done
printf '\n%-32s %-7s %5s\n' scenario result time
printf '%s\n' "${results[@]}"
printf '%-32s %-7s %4ss\n' total "" $((SECONDS - total_start))
exit $failed
