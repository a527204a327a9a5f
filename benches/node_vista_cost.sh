#!/usr/bin/env bash
# The vista's idle cost against btop, side by side in one run: a real prometheus-node-exporter
# and a real Prometheus scraping it every second, both on free loopback ports, then
# `gamelan vista` with examples/node-exporter.vista.toml (1 s refresh), the imported Node
# Exporter Full dashboard (tests/fixtures/grafana, `--refresh 1s`), the built-in host vista and
# btop, each in its own pty of the same size, measured at the same time by benches/idle_cost.py.
#
#     benches/node_vista_cost.sh [SIZE] [SECONDS]      # defaults: 120x40 30
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-120x40}
secs=${2:-30}
bin=${GAMELAN:-target/release/gamelan}
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
node_port=$(port)
prom_port=$(port)
prometheus-node-exporter --web.listen-address="127.0.0.1:$node_port" --log.level=warn >"$work/node.log" 2>&1 &
pids+=($!)
cat >"$work/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: node
    static_configs:
      - targets: ["127.0.0.1:$node_port"]
YAML
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
  --web.listen-address="127.0.0.1:$prom_port" --log.level=warn >"$work/prom.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$prom_port/-/ready" >/dev/null 2>&1 && break
  sleep 0.2
done
sed "s|http://127.0.0.1:9090|http://127.0.0.1:$prom_port|" examples/node-exporter.vista.toml >"$work/vista.toml"
sleep 5 # a few scrapes, so every pane has data from the start
export XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/share"
unset RUST_BACKTRACE
measure() { python3 benches/idle_cost.py --size "$size" --seconds "$secs" -- "$@"; }
measure "$bin" vista --config "$work/vista.toml" >"$work/1.row" &
a=$!
measure "$bin" vista --grafana tests/fixtures/grafana/node-exporter-full.json \
  --prometheus "http://127.0.0.1:$prom_port" --refresh 1s >"$work/2.row" &
b=$!
measure "$bin" vista >"$work/3.row" &  # no vista.toml: the built-in host vista
c=$!
measure btop >"$work/4.row" &
d=$!
wait "$a" "$b" "$c" "$d"
echo "| program | size | CPU | peak memory | bytes to the terminal |"
echo "| --- | --- | --- | --- | --- |"
cat "$work/1.row" "$work/2.row" "$work/3.row" "$work/4.row"
