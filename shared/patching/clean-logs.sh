#!/bin/sh
# lightsail-auditor: delete old rotated logs of the Bitnami stack, keeping the newest KEEP of each.
#
# Installed as /usr/local/sbin/lightsail-auditor-clean-logs by enforce-patching.sh and run weekly
# (Sunday 03:00) by /etc/cron.d/lightsail-auditor-clean-logs.
#
# For each live log listed below, its rotated copies are LOG-* (logrotate's dateext, such as
# access_log-20240107 or access_log-20240107.gz) and LOG.N (access_log.1, access_log.2.gz). The
# KEEP most recently modified copies stay; older ones are deleted. The live log itself is never
# touched, and a log directory that does not exist is skipped.
#
# Environment: KEEP (default 3), ROOT (a prefix for every path; the tests use a temporary tree).
set -eu

ROOT=${ROOT:-}
KEEP=${KEEP:-3}
case $KEEP in
'' | *[!0-9]*)
  echo "KEEP must be a whole number, got '$KEEP'" >&2
  exit 2
  ;;
esac

# Live logs under /opt/bitnami: Apache (apache2 on stacks older than 2020), MariaDB or MySQL
# (error log), PHP-FPM.
LOGS="apache/logs/access_log apache/logs/error_log
apache2/logs/access_log apache2/logs/error_log
mariadb/logs/mysqld.log mysql/logs/mysqld.log
php/logs/php-fpm.log"

deleted=0
for log in $LOGS; do
  dir=$ROOT/opt/bitnami/${log%/*}
  name=${log##*/}
  [ -d "$dir" ] || continue
  # Newest first (modification time, then name); everything after the first KEEP goes.
  old=$(find "$dir" -maxdepth 1 -type f \( -name "$name-*" -o -name "$name.[0-9]*" \) \
    -printf '%T@ %p\n' | sort -k1,1nr -k2r | tail -n +"$((KEEP + 1))" | cut -d' ' -f2-)
  [ -n "$old" ] || continue
  while IFS= read -r file; do
    rm -f -- "$file"
    echo "deleted $file"
    deleted=$((deleted + 1))
  done <<EOF
$old
EOF
done
echo "lightsail-auditor-clean-logs: deleted $deleted rotated log(s), kept the newest $KEEP of each log"
