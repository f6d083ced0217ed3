#!/usr/bin/env bash
# Make sure the local services the real-service suites use are running:
# PostgreSQL 5432, MariaDB 3306, Redis 6379, RabbitMQ 5672, Mosquitto 1883, NATS 4222.
# Each is started only when nothing answers on its port; the script waits until it does.
set -uo pipefail

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() {
  local name=$1 port=$2
  for _ in $(seq 1 60); do
    listening "$port" && { echo "  $name: up on $port"; return 0; }
    sleep 1
  done
  echo "  $name: did not come up on port $port" >&2
  return 1
}

start() {
  local name=$1 port=$2; shift 2
  if listening "$port"; then
    echo "  $name: already running on $port"
    return 0
  fi
  if ! command -v "$1" >/dev/null 2>&1; then
    echo "  $name: not installed ($1 missing)" >&2
    return 1
  fi
  echo "  $name: starting"
  "$@" >/dev/null 2>&1 || true
  wait_for "$name" "$port"
}

failed=0
echo "services:"
start postgresql 5432 bash -c 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start' || failed=1
start mariadb 3306 start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd || failed=1
start redis 6379 redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" \
  --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log || failed=1
start rabbitmq 5672 rabbitmq-server -detached || failed=1
start mosquitto 1883 mosquitto -d -c /etc/mosquitto/mosquitto.conf || failed=1
start nats 4222 start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- \
  -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log || failed=1
exit $failed
