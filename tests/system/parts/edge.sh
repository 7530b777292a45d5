# Part of tests/system/run.sh (sourced before the VM boots): the edge seeds on two VMs at once. Phase "edge" runs
# after the built-in phases; the test's VM becomes "cache1" and a second VM from the same base image "edge1".
#
#   host (loopback)          an upstream registry (Debian's docker-registry), filled with an image this test builds:
#                            Docker Hub is not reachable here; the VMs reach it as 10.0.2.2
#   cache1 (the first VM)    `controlpanel cache install --upstream http://10.0.2.2:UP --listen :8080`: Debian's
#                            docker-registry from the VM's apt mirror, in proxy mode; guest :8080 is already forwarded
#                            to the host's loopback (GATEWAY_PORT), so edge1 reaches it as 10.0.2.2:GATEWAY_PORT
#   edge1 (the second VM)    Debian's containerd 1.6 (the files of its package, its own unit and config.toml)
#
# The fleet run `mirrors set --host cache1 --host edge1 --parallel 2` drives both VMs at once; cache1 has no
# containerd, so its run fails, and edge1's must succeed anyway. `rerun --batch --failed`, once cache1 has
# containerd, reruns cache1 only. edge1 then pulls docker.io/edge/hello:v1: the upstream's and the cache's logs and
# the cache's storage show the way it went; with the upstream stopped, edge1 pulls again (its copy deleted) and the
# cache serves it. Reset and uninstall put both VMs back.
EXTRA_PHASES+=(edge)
edge_dir=$work/edge
edge_pids=()
edge_image=edge/hello
edge_tag=v1

edge_cleanup() {
  [ -d "$work/vm2" ] && "$here/vm/vm.sh" stop "$work/vm2" >/dev/null 2>&1
  [ ${#edge_pids[@]} -gt 0 ] && kill "${edge_pids[@]}" 2>/dev/null
  return 0
}
CLEANUP_HOOKS+=(edge_cleanup)

vm2() { "$here/vm/vm.sh" ssh "$work/vm2" "$@"; }
vm2_says() { local want=$1 got; shift; got=$(vm2 "$@"); [ "$got" = "$want" ] || { echo "expected '$want', got '$got'"; return 1; }; }

# The upstream: a plain registry on the host's loopback, its log kept to see what the cache fetched.
edge_upstream_start() {
  mkdir -p "$edge_dir/upstream"
  edge_up_port=$(free_port)
  cat >"$edge_dir/upstream.yml" <<YAML
version: 0.1
log: {level: info, accesslog: {disabled: false}}
storage: {filesystem: {rootdirectory: $edge_dir/upstream}, delete: {enabled: true}}
http: {addr: "127.0.0.1:$edge_up_port"}
YAML
  docker-registry serve "$edge_dir/upstream.yml" >"$edge_dir/upstream.log" 2>&1 &
  edge_up_pid=$!
  edge_pids+=("$edge_up_pid")
  for _ in $(seq 100); do curl -fsS -o /dev/null "http://127.0.0.1:$edge_up_port/v2/" 2>/dev/null && return 0; sleep 0.1; done
  return 1
}

# Pushes FILE as a blob (monolithic upload) and prints its digest.
edge_push_blob() {
  local file=$1 digest location
  digest=sha256:$(sha256sum "$file" | cut -c1-64)
  location=$(curl -fsS -X POST -D - -o /dev/null "http://127.0.0.1:$edge_up_port/v2/$edge_image/blobs/uploads/" \
    | tr -d '\r' | awk 'tolower($1) == "location:" {print $2}')
  [[ $location == http* ]] || location=http://127.0.0.1:$edge_up_port$location
  [[ $location == *\?* ]] && location+="&" || location+="?"
  curl -fsS -X PUT -H 'Content-Type: application/octet-stream' --data-binary "@$file" "${location}digest=$digest" >/dev/null
  echo "$digest"
}

# A one-file image, built here: layer (gzip of a tar), config naming the tar's digest, schema 2 manifest.
edge_push_image() {
  local d=$edge_dir/image config layer diff_id
  mkdir -p "$d/root"
  echo "pulled through the cache on cache1 ($(date +%s%N))" >"$d/root/hello.txt"
  tar -C "$d/root" --owner=0 --group=0 --mtime=@0 -cf "$d/layer.tar" hello.txt
  gzip -n -c "$d/layer.tar" >"$d/layer.tar.gz"
  diff_id=sha256:$(sha256sum "$d/layer.tar" | cut -c1-64)
  printf '{"architecture":"amd64","os":"linux","config":{},"rootfs":{"type":"layers","diff_ids":["%s"]}}' "$diff_id" >"$d/config.json"
  config=$(edge_push_blob "$d/config.json") && layer=$(edge_push_blob "$d/layer.tar.gz") || return 1
  edge_layer=$layer
  printf '{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",%s,%s}' \
    "\"config\":{\"mediaType\":\"application/vnd.docker.container.image.v1+json\",\"size\":$(stat -c %s "$d/config.json"),\"digest\":\"$config\"}" \
    "\"layers\":[{\"mediaType\":\"application/vnd.docker.image.rootfs.diff.tar.gzip\",\"size\":$(stat -c %s "$d/layer.tar.gz"),\"digest\":\"$layer\"}]" \
    >"$d/manifest.json"
  curl -fsS -X PUT -H 'Content-Type: application/vnd.docker.distribution.manifest.v2+json' --data-binary "@$d/manifest.json" \
    "http://127.0.0.1:$edge_up_port/v2/$edge_image/manifests/$edge_tag" >/dev/null
}

# Debian's containerd package on a VM, from the files fixtures/debian-binaries.sh unpacked: its binaries, unit and
# config.toml (the test is about mirrors, not about installing containerd; the stack's own stage is tested above).
edge_containerd() {
  local target=$1 f
  for f in usr/bin/containerd usr/bin/ctr usr/bin/containerd-shim-runc-v2 lib/systemd/system/containerd.service etc/containerd/config.toml; do
    "$here/vm/vm.sh" ssh "$target" install -D -m "$([ "${f%%/*}" = usr ] && echo 755 || echo 644)" /dev/stdin "/$f" <"$debroot/$f" || return 1
  done
  "$here/vm/vm.sh" ssh "$target" sh -c 'systemctl daemon-reload && systemctl enable --now containerd && ctr version >/dev/null'
}

edge_run_json() { cp_ runs --json | jq -c "map(select(.id == $1))[0]"; }

# The pull on edge1 with the stack's hosts.toml directory (ctr reads it only when told; CRI reads config_path).
edge_pull() { vm2 ctr -n edge images pull --hosts-dir /etc/containerd/certs.d "docker.io/$edge_image:$edge_tag"; }

phase_edge() {
  local t0 image fp batch out runs first second cache_log cache_port=$GATEWAY_PORT mirror
  say "edge: upstream registry, a second VM, cache, mirrors on both at once"
  t0=$(now)
  check "edge: upstream registry answers on loopback" edge_upstream_start
  check "edge: the test's image is pushed to the upstream" edge_push_image

  image=$("$here/vm/make-base-image.sh") || { fail "edge: base image"; return; }
  # The second VM boots while cache1 installs the cache (mostly apt's network and dpkg in the first VM).
  VM_LOCK_HELD=1 SMP=1 "$here/vm/vm.sh" start "$work/vm2" "$image" >"$edge_dir/vm2-boot.log" 2>&1 &
  local boot=$!
  fp=$(ssh-keygen -lf "$image/host_key.pub" | awk '{print $2}')
  check "edge: hosts add cache1" cp_ hosts add cache1 "root@127.0.0.1:$SSH_PORT" --label edge --label cache
  check "edge: hosts trust cache1 pins the fingerprint checked out of band (the image's)" cp_ hosts trust cache1 --yes --fingerprint "$fp"

  t0=$(now)
  check "edge: cache install on cache1 (docker-registry from apt, proxy mode)" \
    cp_ cache install --host cache1 --upstream "http://10.0.2.2:$edge_up_port" --listen :8080 --yes
  bench["edge: cache install"]=$(elapsed "$t0")
  check "edge: the cache answers /v2/ through the host" curl -fsS -o /dev/null "http://127.0.0.1:$cache_port/v2/"
  check "edge: cache1's registry config names the upstream" vm grep -F "remoteurl: \"http://10.0.2.2:$edge_up_port\"" /etc/docker/registry/config.yml

  if ! wait "$boot"; then fail "edge: boot the second VM" "$(tail -5 "$edge_dir/vm2-boot.log")"; return; fi
  # The inventory file as a user writes it: cache1 already known (the same entry), edge1 new.
  printf 'cache1 root@127.0.0.1:%s labels=edge,cache\nedge1  root@127.0.0.1:%s labels=edge\n' \
    "$SSH_PORT" "$(. "$work/vm2/ports.env"; echo "$SSH_PORT")" >"$edge_dir/inventory"
  check "edge: hosts import the inventory" cp_ hosts import "$edge_dir/inventory"
  check "edge: hosts trust edge1" cp_ hosts trust edge1 --yes --fingerprint "$fp"

  check "edge: Debian's containerd runs on edge1" edge_containerd "$work/vm2"
  vm2 sha256sum /etc/containerd/config.toml >"$edge_dir/config.toml.sha256"

  # The fleet run: both VMs at once, cache1 fails (no containerd), edge1 succeeds.
  mirror=http://10.0.2.2:$cache_port
  t0=$(now)
  out=$(cp_ mirrors set --registry docker.io --mirror "$mirror" --runtime containerd --host cache1 --host edge1 --parallel 2 --yes 2>&1)
  bench["edge: mirrors set on both"]=$(elapsed "$t0")
  echo "$out" >"$edge_dir/fleet.log"
  batch=$(sed -n 's/^batch \([0-9]*\):.*/\1/p' <<<"$out" | head -1)
  if [ -z "$batch" ]; then fail "edge: the fleet run started a batch" "$(tail -20 <<<"$out")"; return; fi
  cp_ runs --batch "$batch" --json >"$edge_dir/batch.json"
  check "edge: batch $batch: edge1 Succeeded" test "$(jq -r '.hosts[] | select(.name == "edge1") | .state' "$edge_dir/batch.json")" = Succeeded
  check "edge: batch $batch: cache1 Failed, saying containerd is not installed" \
    sh -c "jq -r '.hosts[] | select(.name == \"cache1\") | \"\\(.state) \\(.error)\"' '$edge_dir/batch.json' | grep -E '^Failed .*containerd is not installed'"
  first=$(edge_run_json "$(jq -r '.hosts[] | select(.name == "cache1") | .runId' "$edge_dir/batch.json")")
  second=$(edge_run_json "$(jq -r '.hosts[] | select(.name == "edge1") | .runId' "$edge_dir/batch.json")")
  # At once: each run started before the other ended.
  check "edge: both hosts' runs ran at the same time" jq -en --argjson a "$first" --argjson b "$second" \
    '($a.startedAt < $b.endedAt) and ($b.startedAt < $a.endedAt)'
  check "edge: edge1's hosts.toml points docker.io at the cache" vm2 grep -F "[host.\"$mirror\"]" /etc/containerd/certs.d/docker.io/hosts.toml
  check "edge: edge1's config.toml got config_path" vm2 grep -F 'config_path = "/etc/containerd/certs.d"' /etc/containerd/config.toml

  # The pull through the cache.
  check "edge: edge1 pulls docker.io/$edge_image:$edge_tag" edge_pull
  check "edge: the upstream served the layer to the cache" grep -F "/v2/$edge_image/blobs/$edge_layer" "$edge_dir/upstream.log"
  check "edge: cache1's registry log shows the pull" sh -c "'$here/vm/vm.sh' ssh '$work/vm' journalctl -u docker-registry --no-pager | grep -F '/v2/$edge_image/manifests/$edge_tag'"
  check "edge: cache1 stored the image" vm test -d "/var/lib/docker-registry/docker/registry/v2/repositories/$edge_image"

  # Upstream stopped: edge1's copy deleted, pulled again, served by the cache.
  kill "$edge_up_pid"; wait "$edge_up_pid" 2>/dev/null
  check "edge: the upstream is down" sh -c "! curl -fsS -o /dev/null --max-time 5 http://127.0.0.1:$edge_up_port/v2/"
  check "edge: edge1 deletes its copy (image and blobs)" sh -c "'$here/vm/vm.sh' ssh '$work/vm2' ctr -n edge images rm --sync docker.io/$edge_image:$edge_tag >/dev/null \
    && ! '$here/vm/vm.sh' ssh '$work/vm2' ctr -n edge content ls | grep -F '$edge_layer'"
  cache_log=$(vm journalctl -u docker-registry --no-pager | grep -cF "/v2/$edge_image/blobs/$edge_layer")
  check "edge: edge1 pulls again with the upstream down" edge_pull
  check "edge: the cache served the layer again" test "$(vm journalctl -u docker-registry --no-pager | grep -cF "/v2/$edge_image/blobs/$edge_layer")" -gt "$cache_log"

  # Re-run the failed host only, once it has containerd: edge1's run is not repeated.
  check "edge: Debian's containerd runs on cache1" edge_containerd "$work/vm"
  runs=$(cp_ runs --json | jq 'length')
  check "edge: rerun --batch $batch --failed succeeds" cp_ rerun --batch "$batch" --failed
  cp_ runs --batch "$batch" --json >"$edge_dir/batch-rerun.json"
  check "edge: after the rerun both hosts of batch $batch Succeeded" test "$(jq -r '[.hosts[].state] | unique | join(",")' "$edge_dir/batch-rerun.json")" = Succeeded
  check "edge: edge1 was not run again" test "$(jq -r '.hosts[] | select(.name == "edge1") | .runId' "$edge_dir/batch-rerun.json")" = "$(jq -r .id <<<"$second")"
  check "edge: the rerun resumed cache1's failed run $(jq -r .id <<<"$first") and started no other" sh -c \
    "test '$(jq -r '.hosts[] | select(.name == "cache1") | .runId' "$edge_dir/batch-rerun.json")' = '$(jq -r .id <<<"$first")' && test '$(cp_ runs --json | jq 'length')' = '$runs'"

  # Back as they were.
  check "edge: mirrors reset on both" cp_ mirrors reset --runtime containerd --host cache1 --host edge1 --yes
  check "edge: edge1 has no hosts.toml for docker.io" vm2 test ! -e /etc/containerd/certs.d/docker.io/hosts.toml
  check "edge: edge1's config.toml is Debian's again, byte for byte" sh -c "'$here/vm/vm.sh' ssh '$work/vm2' sha256sum /etc/containerd/config.toml | diff - '$edge_dir/config.toml.sha256'"
  check "edge: cache uninstall on cache1" cp_ cache uninstall --host cache1 --yes
  check "edge: cache1 has no docker-registry package, cached images or listener" vm sh -c \
    '! dpkg-query -W -f="\${db:Status-Status}" docker-registry 2>/dev/null | grep -x installed && test -z "$(ls -A /var/lib/docker-registry 2>/dev/null)" && ! ss -Hltn "( sport = :8080 )" | grep .'
  "$here/vm/vm.sh" stop "$work/vm2" >/dev/null 2>&1
  # cache1 is the test's VM, which later phases expect clean: the containerd this phase put there goes too.
  check "edge: containerd removed from cache1" vm sh -c 'systemctl disable --now containerd >/dev/null 2>&1; rm -rf /usr/bin/containerd /usr/bin/ctr \
    /usr/bin/containerd-shim-runc-v2 /lib/systemd/system/containerd.service /etc/containerd /var/lib/containerd && systemctl daemon-reload'
}
BENCH_KEYS+=("edge: cache install" "edge: mirrors set on both")
