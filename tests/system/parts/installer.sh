# Part of tests/system/run.sh (sourced before the VM boots): the panel's own installer, installer/install.sh, run
# inside the VM the way a user runs it on a fresh host. Phase "installer" runs after the built-in phases, on the VM
# that their last uninstall left clean; the VM is discarded afterwards (the stack's own uninstall is covered above).
#
# Release: installer/publish.sh builds controlpanel-systest-1-linux-x64 (Release, self-contained) before the VM boots;
# systest-2 is the same build repacked with VERSION systest-2, to see an upgrade switch releases. Both are served by
# a busybox httpd on the host's loopback, which the guest reaches as 10.0.2.2. CONTROLPANEL_RELEASE=DIR reuses
# DIR/controlpanel-systest-1-linux-x64.tar.gz(.sha256) instead of publishing (developer reruns).
inst_dir=$work/release
inst_guest=/root/systest
inst_v1=systest-1
inst_v2=systest-2
inst_port=
inst_pids=()

inst_tarball() { echo "controlpanel-$1-linux-x64.tar.gz"; }

installer_prepare() {
  phase installer || return 0
  local t0 v1 v2; t0=$(now) v1=$(inst_tarball $inst_v1) v2=$(inst_tarball $inst_v2)
  mkdir -p "$inst_dir" "$work/repack"
  if [ -n "${CONTROLPANEL_RELEASE:-}" ]; then
    cp "$CONTROLPANEL_RELEASE/$v1" "$CONTROLPANEL_RELEASE/$v1.sha256" "$inst_dir/" || abort "release tarball from $CONTROLPANEL_RELEASE"
  else
    say "installer/publish.sh (Release, linux-x64)"
    "$repo/installer/publish.sh" --arch linux-x64 --no-composite --version "$inst_v1" --out "$inst_dir" >"$work/release-publish.log" 2>&1 \
      || { tail -30 "$work/release-publish.log"; abort "installer/publish.sh"; }
  fi
  bench["release tarball (publish.sh)"]=$(elapsed "$t0")
  tar -C "$work/repack" -xzf "$inst_dir/$v1" && echo "$inst_v2" >"$work/repack/controlpanel/VERSION" \
    && tar -C "$work/repack" --owner=0 --group=0 -czf "$inst_dir/$v2" controlpanel \
    && (cd "$inst_dir" && sha256sum "$v2" >"$v2.sha256") || abort "repack $v2"
  rm -rf "$work/repack"
  echo "$inst_v2" >"$inst_dir/LATEST"
  # A download that does not match its .sha256 (here: v1's checksum beside other bytes).
  printf 'not a release\n' | gzip >"$inst_dir/$(inst_tarball tampered)"
  sed "s/$v1/$(inst_tarball tampered)/" "$inst_dir/$v1.sha256" >"$inst_dir/$(inst_tarball tampered).sha256"
  inst_port=$(free_port)
  "$debroot/bin/busybox" httpd -f -p "127.0.0.1:$inst_port" -h "$inst_dir" &
  inst_pids+=($!)
  say "release tarballs ready ($(elapsed "$t0") s), served on 127.0.0.1:$inst_port"
}

# The panel in the VM as the host sees it through `ssh -L` (vm.sh forward).
inst_tunnel_port=
inst_tunnel() {
  inst_tunnel_port=$(free_port)
  "$here/vm/vm.sh" forward "$work/vm" "$inst_tunnel_port" 8800 &
  inst_pids+=($!)
  for _ in $(seq 100); do curl -fsS -o /dev/null "http://127.0.0.1:$inst_tunnel_port/healthz" 2>/dev/null && return 0; sleep 0.2; done
  return 1
}
inst_curl() { curl -sS --max-time 30 -b "$work/panel.cookies" -c "$work/panel.cookies" "$@"; }

inst_run() { # KEY LOG ARGS...: install.sh in the VM, timed (figure KEY), its output kept in $work/LOG.log
  timed "$1" "$2" vm bash "$inst_guest/install.sh" "${@:3}" </dev/null
}

inst_refuses_tampered() {
  ! vm bash "$inst_guest/install.sh" --url "http://10.0.2.2:$inst_port/$(inst_tarball tampered)" >"$work/installer-tampered.log" 2>&1 \
    && grep -F "checksum mismatch" "$work/installer-tampered.log" && vm test ! -e /opt/controlpanel
}

inst_setup_url_is_the_token() { # the URL printed is the panel's address with the token it wrote
  local url token
  url=$(sed -n 's/^first start: set the admin password at //p' "$work/installer-1.log")
  token=$(vm cat /var/lib/controlpanel/setup-token)
  [ "$url" = "http://127.0.0.1:8800/setup?token=$token" ] || { echo "printed '$url', token file '$token'"; return 1; }
  echo "$url" >"$work/setup-url"
}

inst_setup_page_through_tunnel() {
  local url; url=$(sed 's|^http://127.0.0.1:8800/|http://127.0.0.1:'"$inst_tunnel_port"'/|' "$work/setup-url")
  inst_curl -f "$url" >"$work/setup.html" && grep -F 'id="setup-submit"' "$work/setup.html"
}

inst_complete_setup() { # the admin account, set through the form (antiforgery token from the page), as a browser does
  local token form_token code
  token=$(sed 's/.*token=//' "$work/setup-url")
  form_token=$(grep -o 'name="__RequestVerificationToken" [^>]*value="[^"]*"' "$work/setup.html" | sed 's/.*value="//; s/"$//')
  [ -n "$form_token" ] || { echo "no antiforgery token in the setup page"; return 1; }
  head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$work/panel-password"
  code=$(inst_curl -o "$work/setup-post.html" -w '%{http_code}' "http://127.0.0.1:$inst_tunnel_port/setup" \
    --data-urlencode "_handler=setup" --data-urlencode "__RequestVerificationToken=$form_token" \
    --data-urlencode "Input.Token=$token" --data-urlencode "Input.UserName=admin" \
    --data-urlencode "Input.Password=$(cat "$work/panel-password")" --data-urlencode "Input.Confirm=$(cat "$work/panel-password")")
  [ "$code" = 302 ] || { echo "POST /setup answered $code"; grep -o 'data-test="setup-error">[^<]*' "$work/setup-post.html"; return 1; }
}

inst_signed_in() { # the dashboard, not the sign-in page, for the cookie the setup gave
  local code; code=$(inst_curl -o /dev/null -w '%{http_code}' "http://127.0.0.1:$inst_tunnel_port/")
  [ "$code" = 200 ] || { echo "GET / answered $code"; return 1; }
}

# --public: nginx in the VM serves the panel on https://DOMAIN:8443/ with the pebble-issued certificate.
inst_public() { vm curl -sS --max-time 15 --cacert "$inst_guest/acme-root.pem" --resolve "$DOMAIN:8443:127.0.0.1" "$@"; }
inst_public_healthz() { [ "$(inst_public -f "https://$DOMAIN:8443/healthz")" = ok ]; }
inst_public_redirects_to_its_own_login() { # the panel sees the browser's scheme, host and port
  local location; location=$(inst_public -o /dev/null -w '%{redirect_url}' "https://$DOMAIN:8443/")
  [ "$location" = "https://$DOMAIN:8443/login?ReturnUrl=%2F" ] || { echo "redirected to '$location'"; return 1; }
}
inst_public_websocket() { # Blazor's circuit connection, upgraded through nginx, for the signed-in session
  local cookies code
  cookies=$(awk -F'\t' 'NF == 7 {printf "%s=%s; ", $6, $7}' "$work/panel.cookies")
  code=$(inst_public --http1.1 -o /dev/null -w '%{http_code}' --max-time 5 -H "Cookie: $cookies" -H 'Connection: Upgrade' \
    -H 'Upgrade: websocket' -H 'Sec-WebSocket-Version: 13' -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' "https://$DOMAIN:8443/_blazor")
  [ "$code" = 101 ] || { echo "the upgrade answered $code"; return 1; }
}

inst_run_log_kept() { inst_run_log after && cmp "$work/run-log.before" "$work/run-log.after"; }

inst_main_pid() { vm systemctl show -p MainPID --value controlpanel.service; }

inst_restarts_after_kill() {
  local old new
  old=$(inst_main_pid)
  [ "$old" -gt 0 ] || { echo "no main PID"; return 1; }
  vm kill -KILL "$old"
  # Under TCG a cold start of the panel takes minutes.
  local deadline=$((SECONDS + 600))
  while [ $SECONDS -lt $deadline ]; do
    new=$(inst_main_pid)
    [ "$new" -gt 0 ] && [ "$new" != "$old" ] && vm curl -fsS --max-time 10 http://127.0.0.1:8800/healthz >/dev/null 2>&1 && break
    sleep 2
  done
  echo "main PID $old killed; now $new, restarts $(vm systemctl show -p NRestarts --value controlpanel.service)"
  [ "$new" -gt 0 ] && [ "$new" != "$old" ] && vm curl -fsS --max-time 5 http://127.0.0.1:8800/healthz
}

inst_no_setup_pending() { ! grep -F 'setup?token' "$work/installer-2.log" && vm test ! -e /var/lib/controlpanel/setup-token; }

inst_run_log() { # the headless install's log as the panel serves it to the signed-in user (database and log files)
  local id; id=$(sed -n 's/^run \([0-9]*\): install on local.*/\1/p' "$work/installer-1.log")
  [ -n "$id" ] && inst_curl -f "http://127.0.0.1:$inst_tunnel_port/runs/$id/log" >"$work/run-log.$1" && grep -q ' preflight ' "$work/run-log.$1"
}

phase_installer() {
  local t0 pw; t0=$(now) pw=$(cat "$work/password")
  local args=(--download-mirror "http://10.0.2.2:$mirror_port/" --versions-file "$inst_guest/versions.json")
  say "installer: install.sh inside the VM"
  vm mkdir -p "$inst_guest"
  vm sh -c "cat > $inst_guest/install.sh" <"$repo/installer/install.sh"
  vm sh -c "cat > $inst_guest/versions.json" <"$fixtures/versions.fixture.json"
  if [ -n "${ACME_DIRECTORY:-}" ]; then
    vm sh -c "cat > $inst_guest/acme-ca.pem" <"$ACME_DIRECTORY_CA"
    args+=(--acme-directory "${ACME_DIRECTORY/127.0.0.1/10.0.2.2}" --acme-directory-ca "$inst_guest/acme-ca.pem" --public)
  fi

  check "installer: a tarball that fails its .sha256 is refused, nothing installed" inst_refuses_tampered

  # cloud-init style: one command puts the panel on the host and installs the stack headless (panel.sh's flags).
  inst_run "installer: install.sh -d -m -p (panel, then stack)" installer-1 --url "http://10.0.2.2:$inst_port/$(inst_tarball $inst_v1)" -d "$DOMAIN" -m "admin@$DOMAIN" -p "$pw" "${args[@]}"
  check "installer: install.sh -d -m -p exits 0 (panel installed, headless install succeeded)" test $? = 0
  check "installer: the tarball's sha256 was verified" grep -F "verified $(inst_tarball $inst_v1) sha256" "$work/installer-1.log"
  check "installer: controlpanel.service is active and enabled" vm_says "active enabled" sh -c 'echo $(systemctl is-active controlpanel; systemctl is-enabled controlpanel)'
  check "installer: the panel listens on 127.0.0.1:8800 only" vm_says "127.0.0.1:8800" sh -c "ss -Hltn 'sport = :8800' | awk '{print \$4}'"
  check "installer: the printed setup URL is http://127.0.0.1:8800/setup?token=<DATA/setup-token>" inst_setup_url_is_the_token
  check "installer: the SSH-tunnel hint is printed" grep -F "ssh -L 8800:127.0.0.1:8800 root@" "$work/installer-1.log"
  verify_installed "installer: headless install"
  check "installer: /healthz answers through ssh -L from the host" inst_tunnel
  check "installer: the printed setup URL opens the setup page through the tunnel" inst_setup_page_through_tunnel
  check "installer: the admin password is set through the setup page" inst_complete_setup
  check "installer: signed in to the dashboard" inst_signed_in
  if [ -n "${ACME_DIRECTORY:-}" ]; then
    vm sh -c "cat > $inst_guest/acme-root.pem" <"$acme_dir/root.pem"  # this pebble's root, fetched by acme_verify
    check "installer: --public: /healthz answers on https://$DOMAIN:8443/ (certificate from the ACME CA)" inst_public_healthz
    check "installer: --public: the sign-in redirect stays on https://$DOMAIN:8443/" inst_public_redirects_to_its_own_login
    check "installer: --public: Blazor's WebSocket upgrades through nginx (101)" inst_public_websocket
    check "installer: --public: the public setup URL is printed" grep -F "https://$DOMAIN:8443/setup?token=" "$work/installer-1.log"
  fi
  check "installer: the panel serves the headless install's log (run recorded in its database)" inst_run_log before
  check "installer: systemd restarts the panel after a SIGKILL" inst_restarts_after_kill

  # Upgrade: LATEST on the mirror names systest-2.
  inst_run "installer: install.sh again (upgrade)" installer-2 --mirror "http://10.0.2.2:$inst_port"
  check "installer: the upgrade exits 0 and runs $inst_v2" sh -c "[ $? = 0 ] && grep -F 'ControlPanel $inst_v2 is running' '$work/installer-2.log'"
  check "installer: /opt/controlpanel/current is the new release" vm_says "releases/$inst_v2" readlink /opt/controlpanel/current
  check "installer: no setup URL after the upgrade (the admin account survived)" inst_no_setup_pending
  check "installer: the session from before the upgrade is still signed in (users and cookie keys kept)" inst_signed_in
  check "installer: the headless install's run and log survived the upgrade" inst_run_log_kept
  [ -z "${ACME_DIRECTORY:-}" ] || check "installer: --public: the panel stays published after the upgrade" inst_public_healthz

  # --uninstall: the panel goes, its data and the stack stay.
  inst_run "installer: install.sh --uninstall" installer-3 --uninstall
  check "installer: --uninstall exits 0" test $? = 0
  check "installer: --uninstall removed the unit" vm sh -c '! systemctl list-unit-files --no-legend controlpanel.service | grep . && test ! -e /etc/systemd/system/controlpanel.service && test ! -e /etc/systemd/system/multi-user.target.wants/controlpanel.service'
  check "installer: --uninstall removed /opt/controlpanel and /usr/local/bin/controlpanel" vm sh -c 'test ! -e /opt/controlpanel && test ! -e /usr/local/bin/controlpanel && test ! -L /usr/local/bin/controlpanel'
  check "installer: no panel process, nothing on 8800" vm sh -c '! pgrep -x controlpanel && ! ss -Hltn "sport = :8800" | grep .'
  check "installer: the panel's data stays in /var/lib/controlpanel" vm test -s /var/lib/controlpanel/controlpanel.db
  [ -z "${ACME_DIRECTORY:-}" ] || check "installer: --public: --uninstall closed port 8443, nginx still valid" vm sh -c '! ss -Hltn "sport = :8443" | grep . && nginx -t'
  check "installer: the stack stays (containerd, faasd, nginx active; gateway answers)" vm sh -c 'systemctl is-active containerd faasd-provider faasd nginx && curl -fsS --max-time 10 http://127.0.0.1:8080/healthz'
  bench["installer phase (all of it)"]=$(elapsed "$t0")
}

installer_cleanup() { for p in "${inst_pids[@]}"; do kill "$p" 2>/dev/null; done; }

EXTRA_PHASES+=(installer)
PREPARE_HOOKS+=(installer_prepare)
CLEANUP_HOOKS+=(installer_cleanup)
BENCH_KEYS+=("release tarball (publish.sh)" "installer: install.sh -d -m -p (panel, then stack)" "installer: install.sh again (upgrade)"
  "installer: install.sh --uninstall" "installer phase (all of it)")
