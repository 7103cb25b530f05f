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

# ---- the reverse direction (issue 12): OMERO's model of a fileset, plain uploads, staging, paging, deletions ----
export RG_OMERO="$OMERO" RG_OMERO_USER=rgtest_omero RG_OMERO_ADMIN=root-admin OMERO_PASSWORD=adminpw
asA=(-u alice --sudo root-admin -q)
FS_SELECT="select fs.id, fs.details.owner.omeName, fs.details.group.name, fs.templatePrefix, fs.details.creationEvent.time, (select size(f2.images) from Fileset f2 where f2.id = fs.id), (select max(s.value) from FilesetJobLink fjl, UploadJob j join j.status s where fjl.parent.id = fs.id and fjl.child.id = j.id), (select max(a.textValue) from FilesetAnnotationLink fal join fal.child a where fal.parent.id = fs.id and a.ns = 'openmicroscopy.org/omero/import/fileTransfer'), (select size(f3.usedFiles) from Fileset f3 where f3.id = fs.id) from Fileset fs"
fsrow() { om hql -u root-admin -q --style plain --all "$FS_SELECT where fs.id in ($1) order by fs.id" | tr -d '\r'; }
mkdir -p "$work/up/sub"; head -c 300000 /dev/urandom >"$work/up/big.tif"; echo k >"$work/up/sub/x.htd"; echo 1 >"$work/up/sub/w1.tif"
chmod -R a+rX "$work/up"
om _double group alice lab
om import "${asA[@]}" --output=yaml --file "$work/tmp/ou" --errs "$work/tmp/eu" -T Dataset:name:UP "$work/up/big.tif"
fs="$(grep -o 'Fileset: [0-9]*' "$work/tmp/ou" | grep -o '[0-9]*')"
row="$(fsrow "$fs")"
uid="$(dumpq "print(s['users']['alice']['id'])")"
# ManagedRepositoryI's default template %user%_%userId%//%year%-%month%/%day%/%time%; fs.py TRANSFERS: the class name
printf '%s\n' "$row" | grep -qE "^0,$fs,alice,lab,alice_$uid/[0-9]{4}-[0-9]{2}/[0-9]{2}/[0-9]{2}-[0-9]{2}-[0-9]{2}\.[0-9]{3}/,[A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9][0-9] [0-9:]{8} [0-9]{4},1,Finished,ome\.formats\.importer\.transfers\.UploadFileTransfer,1$" \
  || fail "fileset row of a plain upload: $row"
prefix="$(printf '%s' "$row" | cut -d, -f5)"
of="$(om hql -u root-admin -q --style plain --all "select fe.id, o.id, o.path, o.name, o.size, o.hash, h.value, fe.clientPath from FilesetEntry fe join fe.originalFile o left join o.hasher h where fe.fileset.id = $fs order by fe.id" | tr -d '\r')"
[ "$of" = "0,$(printf '%s' "$of" | cut -d, -f2),$(printf '%s' "$of" | cut -d, -f3),$prefix,big.tif,300000,$(sha1sum <"$work/up/big.tif" | cut -c1-40),SHA1-160,${work#/}/up/big.tif" ] \
  || fail "original file row: $of"
cmp "$OMERO_DOUBLE_DIR/ManagedRepository/${prefix}big.tif" "$work/up/big.tif" || fail "upload did not copy the bytes into the ManagedRepository"
[ -L "$OMERO_DOUBLE_DIR/ManagedRepository/${prefix}big.tif" ] && fail "a plain upload must copy, not link"
dumpq "
j = [(x['kind'], x['status']) for x in s['jobs'] if x['fileset'] == $fs]
assert j == [('UploadJob', 'Finished'), ('MetadataImportJob', 'Submitted'), ('PixelDataJob', 'Submitted'),
             ('ThumbnailGenerationJob', 'Submitted'), ('IndexingJob', 'Submitted')], j" || fail "jobs as OMERO sets them"
pass "plain upload: bytes copied under the template prefix, OriginalFile size/SHA1/hasher, UploadJob (only) Finished, transfer annotation"

# a multi-file fileset keeps its sub-directory; --skip thumbnails: no ThumbnailGenerationJob
om import "${asA[@]}" --skip thumbnails --output=yaml --file "$work/tmp/om" --errs "$work/tmp/em" "$work/up/sub"
fm="$(grep -o 'Fileset: [0-9]*' "$work/tmp/om" | grep -o '[0-9]*')"
dumpq "
f = s['filesets']['$fm']
assert sorted(o['name'] for o in f['originalFiles']) == ['w1.tif', 'x.htd'], f
assert all(o['path'] == f['templatePrefix'] for o in f['originalFiles']), f
assert 'ThumbnailGenerationJob' not in [x['kind'] for x in s['jobs'] if x['fileset'] == $fm]" || fail "multi-file upload"
pass "multi-file upload: one fileset, its files under the prefix; --skip thumbnails: no ThumbnailGenerationJob"

# staging: upload unfinished, metadata pending, a lower id committed after a higher one, a failure after the upload
waitheld() { for _ in $(seq 1 100); do om _double held | grep -q "^$1 " && return 0; sleep 0.1; done; return 1; }
om _double hold upload 1
om import "${asA[@]}" --output=yaml --file "$work/tmp/oh" --errs "$work/tmp/eh" "$work/up/big.tif" & imp=$!
waitheld upload || fail "the import did not stop in its upload"
fh="$(om _double held | awk '$1=="upload"{print $2}')"
fsrow "$fh" | grep -qE "^0,$fh,alice,lab,[^,]*,[^,]*,0,Submitted,ome\.formats\.importer\.transfers\.UploadFileTransfer,1$" \
  || fail "during the upload: $(fsrow "$fh")"
dumpq "f = s['filesets']['$fh']['originalFiles'][0]; assert f['size'] is None and f['hash'] is None, f" || fail "size/hash before the upload closed"
hp="$(dumpq "print(s['filesets']['$fh']['templatePrefix'])")"
[ "$(stat -c %s "$OMERO_DOUBLE_DIR/ManagedRepository/${hp}big.tif")" = 150000 ] || fail "half the bytes under the final name during upload"
om _double release upload; wait "$imp" || fail "held import failed"
fsrow "$fh" | grep -q ",1,Finished," || fail "after release: $(fsrow "$fh")"
pass "hold upload: the Fileset is visible with its UploadJob Submitted, half the bytes under the final name, no size/hash; release: Finished"
om _double hold metadata 1
om import "${asA[@]}" --output=yaml --file "$work/tmp/oh" --errs "$work/tmp/eh" "$work/up/big.tif" & imp=$!
waitheld metadata || fail "the import did not stop before its metadata step"
fh="$(om _double held | awk '$1=="metadata"{print $2}')"
fsrow "$fh" | grep -q ",0,Finished," || fail "upload finished, no images yet: $(fsrow "$fh")"
om _double release metadata; wait "$imp" || fail "held import failed"
fsrow "$fh" | grep -q ",1,Finished," || fail "images after the metadata step: $(fsrow "$fh")"
pass "hold metadata: UploadJob Finished and no images until the metadata step runs"
om _double hold commit 1
om import "${asA[@]}" --output=yaml --file "$work/tmp/oc1" --errs "$work/tmp/ec1" "$work/up/big.tif" & imp=$!
waitheld commit || fail "the import did not stop before its commit"
low="$(om _double held | awk '$1=="commit"{print $2}')"
[ -z "$(fsrow "$low")" ] || fail "an uncommitted fileset must be invisible"
om import "${asA[@]}" --output=yaml --file "$work/tmp/oc2" --errs "$work/tmp/ec2" "$work/up/big.tif"
high="$(grep -o 'Fileset: [0-9]*' "$work/tmp/oc2" | grep -o '[0-9]*')"
[ "$high" -gt "$low" ] && fsrow "$high" | grep -q ",1,Finished," || fail "the later import commits a higher id first"
om _double release commit; wait "$imp" || fail "held import failed"
fsrow "$low" | grep -q "^0,$low," || fail "the lower id appears after the higher one"
pass "hold commit: Fileset $low (drawn first) commits after Fileset $high"
om _double fail after-upload 1
if om import "${asA[@]}" --output=yaml --file "$work/tmp/of" --errs "$work/tmp/ef" "$work/up/big.tif"; then fail "a failed import exited 0"; fi
ff="$(dumpq "print(max(int(k) for k in s['filesets']))")"
fsrow "$ff" | grep -q ",0,Finished," || fail "failed import: upload Finished, no images: $(fsrow "$ff")"
grep -q "1 error" "$work/tmp/ef" || fail "failed import summary: $(cat "$work/tmp/ef")"
pass "fail after-upload: UploadJob Finished, no images, the import reports an error (a failed import)"

# hql paging (hql.py: --limit default 25, --offset), unknown queries refused, deletions in the EventLog
om _double populate 40 alice
n_all="$(om hql -u root-admin -q --style plain --all "$FS_SELECT where fs.id > 0 order by fs.id" | grep -c ,)"
[ "$n_all" = 25 ] || fail "without --limit hql returns 25 rows, not $n_all"
p1="$(om hql -u root-admin -q --style plain --limit 7 --offset 0 --all "$FS_SELECT where fs.id > 0 order by fs.id" | cut -d, -f2 | tr '\n' ' ')"
p2="$(om hql -u root-admin -q --style plain --limit 7 --offset 7 --all "$FS_SELECT where fs.id > 0 order by fs.id" | cut -d, -f2 | tr '\n' ' ')"
[ "$(printf '%s %s' "$p1" "$p2" | wc -w)" = 14 ] && [ -z "$(comm -12 <(printf '%s\n' $p1 | sort) <(printf '%s\n' $p2 | sort))" ] || fail "paging: $p1 / $p2"
if om hql -u root-admin -q --style plain --all "select fs.id from Fileset fs where fs.id > 0" >/dev/null 2>"$work/eq"; then
  fail "a query the double does not understand must fail"; fi
grep -q "does not understand this HQL" "$work/eq" || fail "unknown query message: $(cat "$work/eq")"
if om hql -u root-admin -q --all "$FS_SELECT where fs.id > 0 order by fs.id" >/dev/null 2>&1; then fail "only --style plain"; fi
pass "hql pages with --limit/--offset (25 rows by default); a query outside the catalogue fails loudly"
img="$(dumpq "print(s['filesets']['$fs']['images'][0])")"
[ "$(om delete "${asA[@]}" "Fileset:$fs")" = "omero.cmd.Delete2 Fileset:$fs ok" ] || fail "delete"
[ -e "$OMERO_DOUBLE_DIR/ManagedRepository/${prefix}big.tif" ] && fail "deleting a fileset removes its files from the repository"
del="$(om hql -u root-admin -q --style plain --all "select el.id, el.entityId, el.event.time from EventLog el where el.action = 'DELETE' and el.entityType = 'ome.model.fs.Fileset' and el.id > 0 order by el.id" | tr -d '\r')"
printf '%s\n' "$del" | grep -qE "^[0-9]+,[0-9]+,$fs,[A-Z][a-z]{2} " || fail "EventLog DELETE of the fileset: $del"
deli="$(om hql -u root-admin -q --style plain --all "select el.id, el.entityId, el.event.time from EventLog el where el.action = 'DELETE' and el.entityType = 'ome.model.core.Image' and el.id > 0 order by el.id")"
printf '%s\n' "$deli" | grep -q ",$img," || fail "EventLog DELETE of its image: $deli"
pass "delete Fileset: files gone from the repository, EventLog DELETE rows for the Fileset and its Image"

# map annotations (obj.py): new MapAnnotation mapValue=... fails; map-set replaces a present key
if om obj new "${asA[@]}" MapAnnotation ns=rodsgate mapValue=a 2>/dev/null; then fail "obj new MapAnnotation mapValue= must fail"; fi
ma="$(om obj new "${asA[@]}" MapAnnotation ns=rodsgate)"
om obj map-set "${asA[@]}" "$ma" mapValue k1 v1 >/dev/null; om obj map-set "${asA[@]}" "$ma" mapValue k2 v2 >/dev/null
[ "$(om obj map-set "${asA[@]}" "$ma" mapValue k1 v3)" = "$ma" ] || fail "map-set prints the object"
dumpq "assert s['annotations']['${ma#MapAnnotation:}']['map'] == [['k1', 'v3'], ['k2', 'v2']], s['annotations']['${ma#MapAnnotation:}']" || fail "map-set semantics"
pass "obj new MapAnnotation mapValue= fails as in omero-py; map-set replaces a present key, appends a new one"

# download (download.py): the bytes; an existing target is skipped with exit 0
ofid="$(dumpq "print(s['filesets']['$high']['originalFiles'][0]['id'])")"
out="$(om download "${asA[@]}" "OriginalFile:$ofid" "$work/tmp/dl.bin")"
[ "$out" = "Downloading file ID: $ofid to $work/tmp/dl.bin" ] && cmp -s "$work/tmp/dl.bin" "$work/up/big.tif" || fail "download: $out"
[ "$(om download "${asA[@]}" "OriginalFile:$ofid" "$work/tmp/dl.bin" | tail -1)" = "File exists! Skipping..." ] || fail "existing target"
if om download "${asA[@]}" OriginalFile:999999 "$work/tmp/none" 2>/dev/null; then fail "download of no file exited 0"; fi
pass "download OriginalFile:ID writes the bytes; an existing target is skipped; a missing file fails"

# OmeroReverse (the Java side) against the double, end to end (the launcher builds when the sources are newer)
"$RODSGATE" --version >/dev/null
RG_JAR="$ROOT/.run/$(cat "$ROOT/.run/current")"
dsid="$(dumpq "print([k for k, c in s['containers'].items() if c['name'] == 'UP'][0])")"
RG_OPS="after $((low - 1)) 2
fileset $high
images $high
of Fileset:$high
deletions 0 10
describe alice $high $(dumpq "print(s['filesets']['$high']['images'][0])") irods.path=/tempZone/x/big.tif,irods.zone=tempZone
describe alice $high $(dumpq "print(s['filesets']['$high']['images'][0])") irods.path=/tempZone/x/big.tif,irods.zone=tempZone
download $ofid $work/tmp/rev.bin
fileset 999999" jshell --class-path "$RG_JAR" "$ROOT/native-tests/omero_reverse.jsh" >"$work/rev.out" 2>&1
grep -q "^error" "$work/rev.out" && fail "OmeroReverse: $(cat "$work/rev.out")"
[ "$(grep -c "^fileset OmeroFileset\[id=" "$work/rev.out")" = 2 ] && grep -q "^fileset OmeroFileset\[id=$low, owner=alice, group=lab" "$work/rev.out" \
  || fail "filesetsAfter: $(cat "$work/rev.out")"
grep -q "^with-files OmeroFileset\[id=$high,.*transfer=upload, uploadFinished=true, images=1,.*name=big.tif, size=300000, hash=$(sha1sum <"$work/up/big.tif" | cut -c1-40), hasher=SHA1-160" "$work/rev.out" \
  || fail "fileset with files: $(cat "$work/rev.out")"
grep -q "^of \[$high\]$" "$work/rev.out" && grep -q "^deleted Deletion\[eventId=[0-9]*, fileset=$fs," "$work/rev.out" && grep -q "^with-files null$" "$work/rev.out" \
  || fail "filesetsOf / deletions / missing: $(cat "$work/rev.out")"
cmp -s "$work/tmp/rev.bin" "$work/up/big.tif" || fail "OmeroReverse.download bytes"
dumpq "
m = [a for a in s['annotations'].values() if a['kind'] == 'MapAnnotation' and a['map'] == [['irods.path', '/tempZone/x/big.tif'], ['irods.zone', 'tempZone']]]
assert len(m) == 1, m
tags = [k for k, a in s['annotations'].items() if a['kind'] == 'TagAnnotation' and a['textValue'] == 'registered']
img = s['filesets']['$high']['images'][0]
assert sorted(l['child'] for l in s['links'] if l['parent'] == img) == sorted([int(tags[0])] + [int(k) for k, a in s['annotations'].items() if a in m]), s['links']
" || fail "describe: one tag link and one map annotation, also when described twice"
pass "OmeroReverse against the double: filesetsAfter (lower id committed late included), fileset with files, images, filesetsOf, deletions, describe twice = once, download"

# delete by Image: a whole fileset's images delete the fileset; a part of a multi-image fileset is refused
om _double populate 1 alice
pf="$(dumpq "print(max(int(k) for k, f in s['filesets'].items() if f['templatePrefix'].startswith('alice_') and 'populated' in f['templatePrefix']))")"
pi="$(dumpq "print(s['filesets']['$pf']['images'][0])")"
[ "$(om delete "${asA[@]}" "Image:$pi")" = "omero.cmd.Delete2 Image:$pi ok" ] || fail "delete Image of a one-image fileset"
[ -z "$(fsrow "$pf")" ] || fail "deleting a fileset's only image deletes the fileset"
[ "$(om delete "${asA[@]}" "Image:999999" 2>"$work/dle")" = "omero.cmd.Delete2 Image:999999 " ] && grep -q "no Image:999999" "$work/dle" \
  || fail "delete of no image: $(cat "$work/dle")"
pass "delete Image:ID of a whole fileset deletes the fileset (EventLog rows); a missing image fails on stderr, exit 0"
