#!/usr/bin/env bash
# ansible-test sanity for the otshell.sensor collection, offline. ansible-test runs the tests that
# need no download as they are; the ones whose virtualenv it would fill from the network
# (validate-modules, pep8, yamllint, ansible-doc, import, runtime-metadata) run here with the same
# checkers from ansible-test's own tree on Debian's packages (python3-voluptuous, pycodestyle,
# yamllint). pylint is not run (its pinned version and config need the network). Exit 0 = all passed.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
collection="$work/ansible_collections/otshell/sensor"
mkdir -p "$(dirname "$collection")"
cp -r "$repo/ansible" "$collection"
cd "$collection"
# ansible-test needs a real interpreter (not a pyenv shim) and looks for the collection by path.
py=/usr/bin/python3
sanity="$($py -c 'import ansible_test, os; print(os.path.join(os.path.dirname(ansible_test.__file__), "_util/controller/sanity"))')"
export ANSIBLE_COLLECTIONS_PATH="$work" PYTHONPATH="$work" LANG=C.UTF-8

offline_tests=(action-plugin-docs changelog compile empty-init future-import-boilerplate ignores line-endings
  metaclass-boilerplate no-assert no-basestring no-dict-iteritems no-dict-iterkeys no-dict-itervalues
  no-get-exception no-illegal-filenames no-main-display no-smart-quotes no-unicode-literals replace-urlopen
  shebang symlinks use-argspec-type-path use-compat-six)
echo "== ansible-test sanity (${#offline_tests[@]} tests)"
args=()
for t in "${offline_tests[@]}"; do args+=(--test "$t"); done
ansible-test sanity --python "$($py -c 'import sys; print("%d.%d" % sys.version_info[:2])')" "${args[@]}" 2>&1 | grep -v 'Using locale\|Reviewing previous'

echo "== validate-modules (ansible-test's validator)"
out="$($py "$sanity/validate-modules/validate.py" --format json --arg-spec --collection ansible_collections/otshell/sensor --collection-version "$(sed -n 's/^version: //p' galaxy.yml)" plugins/modules/*.py)" || { echo "$out"; exit 1; }
[ "$out" = "{}" ] || { echo "$out"; exit 1; }
echo ok

echo "== pep8 (ansible-test's pycodestyle settings)"
$py -m pycodestyle --max-line-length 160 --config /dev/null --ignore "$(paste -sd, "$sanity/pep8/current-ignore.txt")" plugins
echo ok

echo "== yamllint (ansible-test's yamllinter: YAML files and module docs)"
out="$(find . -name '*.yml' -o -name '*.py' | grep -v __pycache__ | sed 's|^\./||' | $py "$sanity/yamllint/yamllinter.py")"
echo "$out" | $py -c 'import json,sys; m=json.load(sys.stdin)["messages"]; [print(x) for x in m]; sys.exit(1 if m else 0)'
echo ok

echo "== ansible-doc"
for m in plugins/modules/*.py; do
  name="otshell.sensor.$(basename "$m" .py)"
  ansible-doc -t module "$name" > /dev/null
  ansible-doc --json -t module "$name" | $py -c 'import json,sys; d=json.load(sys.stdin); n=list(d)[0]; doc=d[n]; assert doc["doc"]["description"] and doc["examples"].strip() and doc["return"] is not None, n'
done
echo ok

echo "== import (every module, module_utils and plugin imports)"
for f in plugins/*/*.py; do
  mod="ansible_collections.otshell.sensor.${f%.py}"
  $py -c "import importlib; importlib.import_module('${mod//\//.}')"
done
echo ok

echo "== runtime-metadata"
$py "$sanity/code-smell/runtime-metadata.py" meta/runtime.yml
echo ok
