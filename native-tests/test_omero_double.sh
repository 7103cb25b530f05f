#!/usr/bin/env bash
# The `omero` test double has its own tests: it must behave as shared/omero-cli.md says OMERO's command does.
source "$(dirname "$0")/lib.sh"
[ "$(id -u)" -eq 0 ] || { echo "SKIP test_omero_double.sh: needs root to create the OMERO OS user"; exit 0; }
work="$(mktemp -d /tmp/rodsgate-nt-XXXXXX)"; chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
mkdir -m 1777 "$work/tmp"
omero_double_setup "$work/omero"
export OMERO_PASSWORD_FOR_OM=adminpw
om _double user root-admin adminpw admin; om _double user alice x
mkdir -p "$work/data/P/D" "$work/data/plate"; chmod -R a+rX "$work/data"
echo a >"$work/data/P/D/a.tif"; echo b >"$work/data/P/D/b.tif"
echo k >"$work/data/plate/x.htd"; echo 1 >"$work/data/plate/w1.tif"; echo 2 >"$work/data/plate/w2.tif"
chmod -R a+rX "$work/data"

out="$("$OMERO" import -f "$work/data" 2>&1 || true)"
printf '%s' "$out" | grep -q "FATAL: Running import as root" || fail "the double must refuse root: $out"
pass "refuses root"
groups="$(om import -f "$work/data")"
[ "$(printf '%s\n' "$groups" | grep -c '^# Group:')" -eq 3 ] || fail "-f grouping: $groups"
printf '%s\n' "$groups" | grep -A3 "x.htd" | grep -q "w2.tif" || fail "multi-file group"
pass "import -f groups a multi-file directory and lists single files"
om import -s localhost -u alice --sudo root-admin --transfer=ln_s -T Project:name:P/Dataset:name:D \
  --output=yaml --file "$work/tmp/out.yaml" --errs "$work/tmp/err.txt" --checksum-algorithm=File-Size-64 -q "$work/data/P/D/a.tif"
grep -q "^- Fileset: [0-9]*" "$work/tmp/out.yaml" && grep -q "Image: \[[0-9]*\]" "$work/tmp/out.yaml" || fail "yaml output"
grep -q "0 error(s)" "$work/tmp/err.txt" || fail "summary"
link="$(find "$OMERO_DOUBLE_DIR/ManagedRepository" -type l | head -1)"
[ "$(readlink "$link")" = "$work/data/P/D/a.tif" ] || fail "ManagedRepository symlink"
[ "$(stat -c %U "$link")" = rgtest_omero ] || fail "links are made by the OS user"
pass "in-place import: yaml ids, summary, symlink to the path as given, made by the OS user"
cp="${work#/}/data/P/D/a.tif"
rows="$(om hql -q -u alice --sudo root-admin --style plain --limit 100 --all "select fe.fileset.id, count(i) from FilesetEntry fe left join fe.fileset.images i where fe.clientPath = '$cp' group by fe.fileset.id")"
printf '%s' "$rows" | grep -qE '^0,[0-9]+,1$' || fail "hql by clientPath: $rows"
pass "hql answers the idempotency query"
om _double fail midway 1
if om import -u alice --sudo root-admin --transfer=ln_s --output=yaml --file "$work/tmp/o2" -q "$work/data/P/D/b.tif" 2>"$work/e2"; then
  fail "a midway failure exited 0"; fi
cp2="${work#/}/data/P/D/b.tif"
orphan="$(om hql -q -u alice --sudo root-admin --style plain --all "select fe.fileset.id, count(i) from FilesetEntry fe left join fe.fileset.images i where fe.clientPath = '$cp2' group by fe.fileset.id")"
printf '%s' "$orphan" | grep -qE '^0,[0-9]+,0$' || fail "midway failure leaves an orphan fileset: $orphan"
fsid="$(printf '%s' "$orphan" | cut -d, -f2)"
om delete -u alice --sudo root-admin "Fileset:$fsid" 2>/dev/null
[ -z "$(om hql -q -u alice --sudo root-admin --style plain --all "select fe.fileset.id, count(i) from FilesetEntry fe left join fe.fileset.images i where fe.clientPath = '$cp2' group by fe.fileset.id")" ] || fail "delete"
pass "a failure midway leaves an orphan fileset, which delete removes"
om _double fail login 1
if om import -u alice --sudo root-admin --transfer=ln_s -q "$work/data/P/D/b.tif" 2>/dev/null; then fail "login failure exited 0"; fi
if OMERO_PASSWORD_FOR_OM=wrong om import --transfer=ln_s -u alice --sudo root-admin -q "$work/data/P/D/b.tif" 2>/dev/null; then fail "a wrong password was accepted"; fi
pass "login failures (injected, wrong password) exit non-zero"
tag="$(om obj new -u alice --sudo root-admin TagAnnotation textValue=registered)"
img="$(grep -o 'Image: \[[0-9]*' "$work/tmp/out.yaml" | grep -o '[0-9]*$')"
om obj new -u alice --sudo root-admin ImageAnnotationLink parent=Image:$img child=$tag >/dev/null
if om obj new -u alice --sudo root-admin ImageAnnotationLink parent=Image:$img child=$tag >/dev/null 2>&1; then fail "duplicate link"; fi
pass "tags and links, duplicate links refused"
