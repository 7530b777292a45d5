# Part of tests/system/run.sh (sourced before the VM boots): the certificate and nginx stages for real.
# Debian's pebble runs on the host; the engine (also on the host) orders the certificate from it. pebble
# validates HTTP-01 by connecting to DOMAIN:HTTP_PORT on loopback (pebble-challtestsrv resolves every name to
# 127.0.0.1), which QEMU forwards to the VM's nginx on :80, which serves the token the engine wrote there.
acme_dir=$work/pebble
acme_pids=()

acme_setup() {
  local pebble_port mgmt_port dns_port chall_port
  mkdir -p "$acme_dir"
  # A throw-away CA for pebble's own HTTPS listener (Debian ships no test certificate for it).
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=controlpanel-systest-ca \
    -keyout "$acme_dir/ca.key" -out "$acme_dir/ca.pem" 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=localhost \
    -keyout "$acme_dir/server.key" -out "$acme_dir/server.csr" 2>/dev/null
  # 10.0.2.2: the host's loopback as the VM sees it (an engine inside the VM orders from there).
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:10.0.2.2\n' >"$acme_dir/san.ext"
  openssl x509 -req -days 2 -in "$acme_dir/server.csr" -CA "$acme_dir/ca.pem" -CAkey "$acme_dir/ca.key" -CAcreateserial \
    -extfile "$acme_dir/san.ext" -out "$acme_dir/server.pem" 2>/dev/null
  pebble_port=$(free_port); mgmt_port=$(free_port); dns_port=$(free_port); chall_port=$(free_port)
  cat >"$acme_dir/pebble.json" <<JSON
{"pebble": {"listenAddress": "127.0.0.1:$pebble_port", "managementListenAddress": "127.0.0.1:$mgmt_port",
  "certificate": "$acme_dir/server.pem", "privateKey": "$acme_dir/server.key",
  "httpPort": $HTTP_PORT, "tlsPort": $HTTPS_PORT, "ocspResponderURL": "", "externalAccountBindingRequired": false}}
JSON
  pebble-challtestsrv -dns01 "127.0.0.1:$dns_port" -http01 "" -https01 "" -tlsalpn01 "" \
    -management "127.0.0.1:$chall_port" -defaultIPv6 "" >"$acme_dir/challtestsrv.log" 2>&1 &
  acme_pids+=($!)
  PEBBLE_VA_NOSLEEP=1 PEBBLE_WFE_NONCEREJECT=0 pebble -config "$acme_dir/pebble.json" -dnsserver "127.0.0.1:$dns_port" \
    -strict=false >"$acme_dir/pebble.log" 2>&1 &
  acme_pids+=($!)
  for _ in $(seq 100); do curl -fsS --cacert "$acme_dir/ca.pem" -o /dev/null "https://127.0.0.1:$pebble_port/dir" 2>/dev/null && break; sleep 0.1; done
  check "pebble (ACME test CA) answers on loopback" curl -fsS --cacert "$acme_dir/ca.pem" -o /dev/null "https://127.0.0.1:$pebble_port/dir"
  ACME_MGMT=https://127.0.0.1:$mgmt_port
  ACME_DIRECTORY=https://127.0.0.1:$pebble_port/dir ACME_DIRECTORY_CA=$acme_dir/ca.pem
  INSTALL_ARGS+=(--acme-directory "$ACME_DIRECTORY" --acme-directory-ca "$ACME_DIRECTORY_CA")
}

acme_verify() {
  local tag=$1
  # pebble makes a new root at every start: trust exactly this run's.
  curl -fsS --cacert "$acme_dir/ca.pem" "$ACME_MGMT/roots/0" >"$acme_dir/root.pem"
  check "$tag: the site answers HTTPS with a certificate from the ACME CA (verified chain, right name)" \
    curl -sS -o /dev/null --max-time 15 --cacert "$acme_dir/root.pem" --resolve "$DOMAIN:$HTTPS_PORT:127.0.0.1" "https://$DOMAIN:$HTTPS_PORT/"
  check "$tag: HTTP redirects to HTTPS" sh -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' --max-time 15 -H 'Host: $DOMAIN' http://127.0.0.1:$HTTP_PORT/)\" = 301 ]"
  check "$tag: privkey.pem is 0600 in /etc/letsencrypt/live/$DOMAIN" vm_says 600 stat -c %a "/etc/letsencrypt/live/$DOMAIN/privkey.pem"
  check "$tag: the generated nginx configuration passes nginx -t" vm nginx -t
}

acme_leftovers() {
  local tag=$1
  check "$tag: the nginx site is gone" vm test ! -e /etc/nginx/conf.d/controlpanel.conf
  check "$tag: nginx still runs with a valid configuration" vm sh -c 'nginx -t && systemctl is-active nginx'
}

acme_cleanup() { for p in "${acme_pids[@]}"; do kill "$p" 2>/dev/null; done; }

SETUP_HOOKS+=(acme_setup)
VERIFY_HOOKS+=(acme_verify)
LEFTOVER_HOOKS+=(acme_leftovers)
CLEANUP_HOOKS+=(acme_cleanup)
