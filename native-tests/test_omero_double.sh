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
echo a >"$work/data/P/D/a.tif"; echo b >"$work/data/P/D/b.tif"; mkdir -p "$work/more"; echo c >"$work/more/c.tif"
echo k >"$work/data/plate/x.htd"; echo 1 >"$work/data/plate/w1.tif"; echo 2 >"$work/data/plate/w2.tif"
chmod -R a+rX "$work/data" "$work/more"

out="$("$OMERO" import -f "$work/data" 2>&1 || true)"
printf '%s' "$out" | grep -q "FATAL: Running import as root" || fail "the double must refuse root: $out"
pass "refuses root"
groups="$(om import -f "$work/data")"
[ "$(printf '%s\n' "$groups" | grep -c '^# Group:')" -eq 3 ] || fail "-f grouping: $groups"
printf '%s\n' "$groups" | grep -A3 "x.htd" | grep -q "w2.tif" || fail "multi-file group"
pass "import -f groups a multi-file directory and lists single files"
om import -s localhost -u alice --sudo root-admin --transfer=ln_s -T Project:name:P/Dataset:name:D \
  --output=yaml --file "$work/tmp/out.yaml" --errs "$work/tmp/err.txt" --checksum-algorithm=File-Size-64 -q "$work/data/P/D/a.tif"
# LoggingImportMonitor.java (ome/openmicroscopy components/blitz/src/ome/formats/importer/cli/): outputYamlResults
# writes "- Fileset: N" and "  Image: [a,b]" (ids joined by ","); report() writes the summary, each noun singular for 1
grep -qxE -- "- Fileset: [0-9]+" "$work/tmp/out.yaml" && grep -qxE "  Image: \[[0-9]+(,[0-9]+)*\]" "$work/tmp/out.yaml" \
  || fail "yaml output: $(cat "$work/tmp/out.yaml")"
grep -qxE "1 file uploaded, 1 fileset created, 1 image imported, 0 errors in [0-9]+:[0-9]{2}:[0-9]{2}\.[0-9]{3}" "$work/tmp/err.txt" \
  || fail "summary not in OMERO's form: $(cat "$work/tmp/err.txt")"
grep -q "(s)" "$work/tmp/err.txt" && fail "OMERO never prints a literal (s)"
om import -u alice --sudo root-admin --transfer=ln_s --output=yaml --file "$work/tmp/o3" --errs "$work/tmp/e3" -q "$work/data/plate" "$work/more/c.tif"
grep -qxE "[0-9]+ files uploaded, 2 filesets created, 2 images imported, 0 errors in [0-9:.]+" "$work/tmp/e3" \
  || fail "plural summary: $(cat "$work/tmp/e3")"
[ "$(grep -c '^---$' "$work/tmp/o3")" = 2 ] || fail "one yaml document per fileset"
link="$(find "$OMERO_DOUBLE_DIR/ManagedRepository" -type l -name a.tif | head -1)"
[ "$(readlink "$link")" = "$work/data/P/D/a.tif" ] || fail "ManagedRepository symlink"
[ "$(stat -c %U "$link")" = rgtest_omero ] || fail "links are made by the OS user"
pass "in-place import: yaml ids, summary, symlink to the path as given, made by the OS user"
cp="${work#/}/data/P/D/a.tif"
rows="$(om hql -q -u alice --sudo root-admin --style plain --limit 100 --all "select fe.fileset.id, count(i) from FilesetEntry fe left join fe.fileset.images i where fe.clientPath = '$cp' group by fe.fileset.id")"
# omero-py src/omero/util/text.py PlainStyle: csv.writer rows, each ending "\r\n"
printf '%s' "$rows" | grep -qE $'^0,[0-9]+,1\r$' || fail "hql by clientPath: $rows"
none="$(om hql -q -u alice --sudo root-admin --style plain --all "select fe.fileset.id, count(i) from FilesetEntry fe left join fe.fileset.images i where fe.clientPath = 'no/such' group by fe.fileset.id" | od -c | head -1)"
[ "$none" = "0000000  \n" ] || fail "no rows must print one empty line: $none"
pass "hql answers the idempotency query (plain style as omero-py prints it; no rows: an empty line)"
# hibernate hql.g: a quote inside a string literal is written twice; a backslash, % and _ are ordinary characters
for n in "quo'te.tif" 'back\slash.tif' 'per%cent.tif' 'under_score.tif'; do
  echo q >"$work/data/$n"; chmod a+r "$work/data/$n"
  om import -u alice --sudo root-admin --transfer=ln_s --output=yaml --file "$work/tmp/oq" --errs "$work/tmp/eq" -q "$work/data/$n"
  lit="${work#/}/data/${n//\'/\'\'}"
  r="$(om hql -q -u alice --sudo root-admin --style plain --all "select fe.fileset.id, count(i) from FilesetEntry fe left join fe.fileset.images i where fe.clientPath = '${lit//\\/!}' group by fe.fileset.id")"
  printf '%s' "$r" | grep -qE $'^0,[0-9]+,1\r$' || fail "hql literal for $n: $r"
done
if om hql -q -u alice --sudo root-admin --style plain --all "select fe.fileset.id, count(i) from FilesetEntry fe left join fe.fileset.images i where fe.clientPath = 'a'b' group by fe.fileset.id" >/dev/null 2>&1; then
  fail "an undoubled quote ends the literal: the query must be refused"; fi
pass "HQL string literals: '' is a quote; backslash, % and _ are plain characters; a stray quote is a bad query"
om _double fail midway 1
if om import -u alice --sudo root-admin --transfer=ln_s --output=yaml --file "$work/tmp/o2" -q "$work/data/P/D/b.tif" 2>"$work/e2"; then
  fail "a midway failure exited 0"; fi
cp2="${work#/}/data/P/D/b.tif"
orphan="$(om hql -q -u alice --sudo root-admin --style plain --all "select fe.fileset.id, count(i) from FilesetEntry fe left join fe.fileset.images i where fe.clientPath = '$cp2' group by fe.fileset.id")"
printf '%s' "$orphan" | grep -qE $'^0,[0-9]+,0\r$' || fail "midway failure leaves an orphan fileset: $orphan"
fsid="$(printf '%s' "$orphan" | cut -d, -f2)"
fsid="${fsid%$'\r'}"
om _double fail delete 1
out="$(om delete -u alice --sudo root-admin "Fileset:$fsid" 2>"$work/de")" || fail "omero delete exits 0 even when it fails"
[ "$out" = "omero.cmd.Delete2 Fileset:$fsid " ] && grep -q "^failed: " "$work/de" || fail "failed delete output: '$out' $(cat "$work/de")"
# omero-py src/omero/cli.py CmdControl.print_report + GraphControl.print_request_description
[ "$(om delete -u alice --sudo root-admin "Fileset:$fsid")" = "omero.cmd.Delete2 Fileset:$fsid ok" ] || fail "delete output"
[ -z "$(om hql -q -u alice --sudo root-admin --style plain --all "select fe.fileset.id, count(i) from FilesetEntry fe left join fe.fileset.images i where fe.clientPath = '$cp2' group by fe.fileset.id")" ] || fail "delete"
pass "a failure midway leaves an orphan fileset; delete prints 'omero.cmd.Delete2 Fileset:N ok', a failed delete only an error on stderr (exit 0)"
om _double fail login 1
if om import -u alice --sudo root-admin --transfer=ln_s -q "$work/data/P/D/b.tif" 2>/dev/null; then fail "login failure exited 0"; fi
if OMERO_PASSWORD_FOR_OM=wrong om import --transfer=ln_s -u alice --sudo root-admin -q "$work/data/P/D/b.tif" 2>/dev/null; then fail "a wrong password was accepted"; fi
pass "login failures (injected, wrong password) exit non-zero"
tag="$(om obj new -u alice --sudo root-admin TagAnnotation textValue=registered)"
img="$(grep -o 'Image: \[[0-9]*' "$work/tmp/out.yaml" | grep -o '[0-9]*$')"
om obj new -u alice --sudo root-admin ImageAnnotationLink parent=Image:$img child=$tag >/dev/null
if om obj new -u alice --sudo root-admin ImageAnnotationLink parent=Image:$img child=$tag >/dev/null 2>&1; then fail "duplicate link"; fi
pass "tags and links, duplicate links refused"
# a slowed import (delay): the Fileset is recorded first and other commands run meanwhile, as on a real server
om _double delay import 5
echo s >"$work/more/slow.tif"; chmod a+r "$work/more/slow.tif"
om import -u alice --sudo root-admin --transfer=ln_s --output=yaml --file "$work/tmp/os" --errs "$work/tmp/es" -q "$work/more/slow.tif" &
slow=$!
cps="${work#/}/more/slow.tif"
during() {
  local rows
  rows="$(om hql -q -u alice --sudo root-admin --style plain --all "select fe.fileset.id, count(i) from FilesetEntry fe left join fe.fileset.images i where fe.clientPath = '$cps' group by fe.fileset.id")"
  printf '%s\n' "$rows" | grep -qE $'^0,[0-9]+,0\r$'
}
seen=
for _ in $(seq 1 40); do during && { seen=1; break; }; sleep 0.1; done
wait "$slow" || fail "the slow import failed"
[ -n "$seen" ] || fail "during a slow import the Fileset must be visible without images"
grep -qxE "1 file uploaded, 1 fileset created, 1 image imported, 0 errors in [0-9:.]+" "$work/tmp/es" || fail "slow import summary"
om _double delay import 0
pass "a slowed import shows its Fileset (no images yet) to other commands meanwhile, then completes"
