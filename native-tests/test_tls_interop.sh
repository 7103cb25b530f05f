#!/usr/bin/env bash
# The TLS sandbox: rodsgate's client verifies its certificate (CA file from the environment) and host name.
source "$(dirname "$0")/lib.sh"
work="$(mktemp -d /tmp/rodsgate-nt-XXXXXX)"
trap 'stop_sandbox; rm -rf "$work"' EXIT
start_sandbox "$work/sb" --tls --users-file "$(users_file "$work/users" carol:carol-pam:pam)"
grep -q '"irods_ssl_ca_certificate_file"' "$IRODS_ENVIRONMENT_FILE" || fail "no CA file in the environment"
"$RODSGATE" ls /tempZone/home >/dev/null || fail "ls over TLS"
pass "rodsgate ls over TLS with the generated CA"
sed 's#"irods_ssl_ca_certificate_file" : "[^"]*"#"irods_ssl_ca_certificate_file" : "/etc/ssl/certs/ca-certificates.crt"#' \
  "$IRODS_ENVIRONMENT_FILE" >"$work/wrong-ca.json"
if out="$("$RODSGATE" ls --env "$work/wrong-ca.json" --auth-file "$IRODS_AUTHENTICATION_FILE" 2>&1)"; then
  fail "an untrusted certificate was accepted"
fi
printf '%s' "$out" | grep -q "TLS handshake" || fail "unexpected error: $out"
pass "untrusted certificate refused: $out"
