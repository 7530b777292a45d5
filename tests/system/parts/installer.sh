# Part of tests/system/run.sh (sourced before the VM boots): the panel's own installer, installer/install.sh, run
# inside the fresh VM the way a user runs it, and the panel it installs doing what phase "install" does over SSH
# (phase "installer", in its place): the stack's install, an upgrade of the panel, the install again (nothing changes),
# the stack's uninstall, the panel's removal, and zero leftovers against the fresh VM.
#
# Releases: systest-1 is an OLDER release, built from commit $INSTALLER_OLD_COMMIT (an older database schema: the
# newer tree adds migrations); systest-2 is this tree. Both are built with installer/publish.sh before the VM boots
# and served by a busybox httpd on the host's loopback, which the guest reaches as 10.0.2.2. The older release does
# the headless install; the upgrade to this tree must keep its data, migrate its database and re-run a stage of its run.
# CONTROLPANEL_RELEASE=DIR reuses DIR/controlpanel-systest-{1,2}-linux-x64.tar.gz(.sha256) instead (developer reruns).
# The older release: the last commit before the Sessions migration, whose install.sh has every flag used here.
INSTALLER_OLD_COMMIT=${INSTALLER_OLD_COMMIT:-3ec13b049782ce0cd4a364785986535aec1dd51b}
inst_dir=$work/release
inst_guest=/root/systest
inst_v1=systest-1
inst_v2=systest-2
inst_port=
inst_pids=()

inst_tarball() { echo "controlpanel-$1-linux-x64.tar.gz"; }

inst_publish() { # inst_publish TREE VERSION: that tree's own publish.sh, plain ReadyToRun
  "$1/installer/publish.sh" --arch linux-x64 --no-composite --version "$2" --out "$inst_dir" >>"$work/release-publish.log" 2>&1 \
    || { tail -30 "$work/release-publish.log"; abort "installer/publish.sh of $1 ($2)"; }
}

installer_prepare() {
  phase installer || return 0
  local t0 v1 v2; t0=$(now) v1=$(inst_tarball $inst_v1) v2=$(inst_tarball $inst_v2)
  mkdir -p "$inst_dir"
  if [ -n "${CONTROLPANEL_RELEASE:-}" ]; then
    cp "$CONTROLPANEL_RELEASE/$v1" "$CONTROLPANEL_RELEASE/$v1.sha256" "$CONTROLPANEL_RELEASE/$v2" "$CONTROLPANEL_RELEASE/$v2.sha256" "$inst_dir/" \
      || abort "release tarballs from $CONTROLPANEL_RELEASE"
  else
    # A full clone has the older commit; a shallow one does not, and must say so rather than test less.
    git -C "$repo" cat-file -e "$INSTALLER_OLD_COMMIT^{commit}" 2>/dev/null \
      || abort "older release" "commit $INSTALLER_OLD_COMMIT is not in $repo (a shallow clone? git fetch --unshallow)"
    say "installer/publish.sh: the older release ($INSTALLER_OLD_COMMIT) and this tree (Release, linux-x64)"
    mkdir -p "$work/old-tree"
    git -C "$repo" archive "$INSTALLER_OLD_COMMIT" | tar -x -C "$work/old-tree" || abort "git archive $INSTALLER_OLD_COMMIT"
    inst_publish "$work/old-tree" "$inst_v1"
    rm -rf "$work/old-tree"
    inst_publish "$repo" "$inst_v2"
  fi
  bench["release tarballs (publish.sh, two trees)"]=$(elapsed "$t0")
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

inst_sign_in() { # the sign-in form with the admin's password, posted as a browser posts it
  local form_token code
  inst_curl -f -o "$work/login.html" "http://127.0.0.1:$inst_tunnel_port/login" || return 1
  form_token=$(grep -o 'name="__RequestVerificationToken" [^>]*value="[^"]*"' "$work/login.html" | sed 's/.*value="//; s/"$//')
  [ -n "$form_token" ] || { echo "no antiforgery token in the sign-in page"; return 1; }
  code=$(inst_curl -o "$work/login-post.html" -w '%{http_code}' "http://127.0.0.1:$inst_tunnel_port/login" \
    --data-urlencode "_handler=login" --data-urlencode "__RequestVerificationToken=$form_token" \
    --data-urlencode "Input.UserName=admin" --data-urlencode "Input.Password=$(cat "$work/panel-password")")
  [ "$code" = 302 ] || { echo "POST /login answered $code"; grep -o 'data-test="login-error">[^<]*' "$work/login-post.html"; return 1; }
}

# The migrations the panel's database has applied, read from a copy taken on the host (the VM has no sqlite3).
inst_migrations() { # TAG: writes $work/migrations.TAG
  local dir=$work/db.$1
  rm -rf "$dir" && mkdir -p "$dir"
  vm sh -c 'cd /var/lib/controlpanel && tar -cf - controlpanel.db*' | tar -x -C "$dir" || return 1
  python3 -c 'import sqlite3, sys
for (m,) in sqlite3.connect(sys.argv[1]).execute("SELECT MigrationId FROM __EFMigrationsHistory ORDER BY MigrationId"): print(m)' \
    "$dir/controlpanel.db" >"$work/migrations.$1"
}
# This tree's migrations, from the generated files.
inst_tree_migrations() { find "$repo/src/ControlPanel.Engine/Data/Migrations" -name '2*_*.cs' ! -name '*.Designer.cs' -printf '%f\n' | sed 's/\.cs$//' | sort; }
inst_old_schema_is_older() {
  inst_migrations before && inst_tree_migrations >"$work/migrations.tree" || return 1
  echo "the older release applied: $(tr '\n' ' ' <"$work/migrations.before")"
  ! cmp -s "$work/migrations.before" "$work/migrations.tree" && [ -z "$(comm -23 "$work/migrations.before" "$work/migrations.tree")" ]
}
inst_migrated() {
  inst_migrations after || return 1
  echo "after the upgrade: $(tr '\n' ' ' <"$work/migrations.after")"
  cmp "$work/migrations.after" "$work/migrations.tree"
}

# The CLI of the panel installed in the VM, on its data; the record once the panel is gone, read from a copy on the host.
inst_cli() { vm controlpanel "$@" --data /var/lib/controlpanel </dev/null; }
inst_db_cli() {
  rm -rf "$work/data.guest" && mkdir -p "$work/data.guest" && vm tar -C /var/lib/controlpanel -cf - . | tar -x -C "$work/data.guest" \
    && "$controlpanel" "$@" --data "$work/data.guest" </dev/null
}

inst_run_id() { sed -n 's/^run \([0-9]*\): install on local.*/\1/p' "$work/installer-1.log"; }
# The older release's run, one stage of it re-run by this tree's CLI: its stored plan and request still load.
inst_old_run_reruns() {
  local id; id=$(inst_run_id)
  [ -n "$id" ] || { echo "no run number in installer-1.log"; return 1; }
  inst_cli rerun "$id" --stage nginx >"$work/installer-rerun.log" 2>&1 || { tail -20 "$work/installer-rerun.log"; return 1; }
  inst_cli runs --json | jq -e --argjson id "$id" \
    'map(select(.id == $id))[0] | .state == "Succeeded" and ([.stages[] | select(.name == "nginx") | .attempts][0] == 2)'
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
  local id; id=$(inst_run_id)
  [ -n "$id" ] && inst_curl -f "http://127.0.0.1:$inst_tunnel_port/runs/$id/log" >"$work/run-log.$1" && grep -q ' preflight ' "$work/run-log.$1"
}

phase_installer() {
  local t0 pw; t0=$(now) pw=$(cat "$work/password")
  # The stack options install.sh passes through to the headless install; --public is install.sh's own.
  local args=(--download-mirror "http://10.0.2.2:$mirror_port/" --versions-file "$inst_guest/versions.json") public=()
  say "installer: install.sh inside the VM"
  vm mkdir -p "$inst_guest"
  vm sh -c "cat > $inst_guest/install.sh" <"$repo/installer/install.sh"
  vm sh -c "cat > $inst_guest/versions.json" <"$fixtures/versions.fixture.json"
  if [ -n "${ACME_DIRECTORY:-}" ]; then
    vm sh -c "cat > $inst_guest/acme-ca.pem" <"$ACME_DIRECTORY_CA"
    args+=(--acme-directory "${ACME_DIRECTORY/127.0.0.1/10.0.2.2}" --acme-directory-ca "$inst_guest/acme-ca.pem")
    public=(--public)
  fi

  check "installer: a tarball that fails its .sha256 is refused, nothing installed" inst_refuses_tampered

  # cloud-init style: one command puts the panel on the host and installs the stack headless (panel.sh's flags).
  inst_run "installer: install.sh -d -m -p (panel, then stack)" installer-1 --url "http://10.0.2.2:$inst_port/$(inst_tarball $inst_v1)" -d "$DOMAIN" -m "admin@$DOMAIN" -p "$pw" "${args[@]}" "${public[@]}"
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

  # Upgrade from the older release to this tree: LATEST on the mirror names systest-2.
  check "installer: the older release's database lacks migrations this tree adds" inst_old_schema_is_older
  inst_run "installer: install.sh again (upgrade)" installer-2 --mirror "http://10.0.2.2:$inst_port"
  check "installer: the upgrade exits 0 and runs $inst_v2" sh -c "[ $? = 0 ] && grep -F 'ControlPanel $inst_v2 is running' '$work/installer-2.log'"
  check "installer: /opt/controlpanel/current is the new release" vm_says "releases/$inst_v2" readlink /opt/controlpanel/current
  check "installer: the upgraded panel migrated the database to this tree's migrations" inst_migrated
  check "installer: no setup URL after the upgrade (the admin account survived)" inst_no_setup_pending
  # The older release's cookie names no server-side session (this tree ends sessions on the server): signed out.
  check "installer: the older release's cookie is refused after the upgrade (sign-in page, no error)" \
    sh -c "[ \"\$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' -b '$work/panel.cookies' http://127.0.0.1:$inst_tunnel_port/)\" = '302 http://127.0.0.1:$inst_tunnel_port/login?ReturnUrl=%2F' ]"
  check "installer: the admin signs in with the same password after the upgrade (users and cookie keys kept)" inst_sign_in
  check "installer: signed in to the upgraded panel's dashboard" inst_signed_in
  check "installer: the headless install's run and log survived the upgrade" inst_run_log_kept
  check "installer: the older release's run is re-run at one stage by the upgraded engine (rerun --stage nginx)" inst_old_run_reruns
  [ -z "${ACME_DIRECTORY:-}" ] || check "installer: --public: the panel stays published after the upgrade" inst_public_healthz

  # The record of what was installed lives with the panel that installed it: the second install and the stack's
  # uninstall are that panel's too (README's order: `controlpanel uninstall`, then `install.sh --uninstall`).
  local CLI=inst_cli
  vm sh -c "umask 077 && cat > $inst_guest/password" <"$work/password"
  verify_second_install "installer: the upgraded panel installs again (idempotent)" \
    inst_cli install --domain "$DOMAIN" --email "admin@$DOMAIN" --password-file "$inst_guest/password" --yes "${args[@]}"
  say "installer: controlpanel uninstall (the stack)"
  timed "installer: controlpanel uninstall (the stack)" installer-uninstall-stack inst_cli uninstall --yes
  expect_run "installer: the stack's uninstall succeeded" uninstall Succeeded

  # --uninstall: the panel goes, its data stays.
  inst_run "installer: install.sh --uninstall" installer-3 --uninstall
  check "installer: --uninstall exits 0" test $? = 0
  check "installer: --uninstall removed the unit" vm sh -c '! systemctl list-unit-files --no-legend controlpanel.service | grep . && test ! -e /etc/systemd/system/controlpanel.service && test ! -e /etc/systemd/system/multi-user.target.wants/controlpanel.service'
  check "installer: --uninstall removed /opt/controlpanel and /usr/local/bin/controlpanel" vm sh -c 'test ! -e /opt/controlpanel && test ! -e /usr/local/bin/controlpanel && test ! -L /usr/local/bin/controlpanel'
  check "installer: no panel process, nothing on 8800" vm sh -c '! pgrep -x controlpanel && ! ss -Hltn "sport = :8800" | grep .'
  check "installer: the panel's data stays in /var/lib/controlpanel" vm test -s /var/lib/controlpanel/controlpanel.db
  [ -z "${ACME_DIRECTORY:-}" ] || check "installer: --public: nothing listens on 8443 any more, nginx still valid" vm sh -c '! ss -Hltn "sport = :8443" | grep . && nginx -t'
  CLI=inst_db_cli verify_no_leftovers "installer: after the stack's and the panel's uninstall"
  bench["installer phase (all of it)"]=$(elapsed "$t0")
}

installer_cleanup() { for p in "${inst_pids[@]}"; do kill "$p" 2>/dev/null; done; }

PREPARE_HOOKS+=(installer_prepare)
CLEANUP_HOOKS+=(installer_cleanup)
BENCH_KEYS+=("release tarballs (publish.sh, two trees)" "installer: install.sh -d -m -p (panel, then stack)" "installer: install.sh again (upgrade)"
  "installer: the upgraded panel installs again (idempotent)" "installer: controlpanel uninstall (the stack)" "installer: install.sh --uninstall"
  "installer phase (all of it)")
