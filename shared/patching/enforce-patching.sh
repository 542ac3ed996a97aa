#!/bin/sh
# lightsail-auditor: enforce automatic OS patching on a Debian (or Ubuntu) Lightsail instance.
#
# Idempotent: a run that finds everything in place changes nothing. It
#   1. installs unattended-upgrades if missing (non-interactive apt-get), or says it cannot;
#   2. writes the auditor's own apt drop-ins, never the distribution's 50unattended-upgrades:
#        90lightsail-auditor-unattended-upgrades  -updates origin, kernel and dependency clean-up,
#                                                 reboot at a quiet hour, mail on change
#        90lightsail-auditor-periodic             daily list update, download and upgrade; weekly
#                                                 cache clean-up
#   3. installs the log clean-up script and its weekly cron entry (Sunday 03:00);
#   4. checks the effective configuration with apt-config (a value that differs from ours is
#      drift, e.g. a later file overriding it) and runs `unattended-upgrade --dry-run --debug`;
#   5. prints ONE JSON line on stdout (everything else goes to stderr) and exits 0 only when the
#      configuration is in place with no error and no drift.
#
# The SSM document (document.cjs) embeds this file after setting the variables below from its
# parameters. Environment:
#   UPDATES_ORIGIN         true|false  also install updates from <codename>-updates (default true)
#   AUTOMATIC_REBOOT       true|false  reboot when an update needs it (default true)
#   AUTOMATIC_REBOOT_TIME  HH:MM       reboot time, the instance's local time (default 02:00)
#   MAIL_TO                address     mail a report when an upgrade changed something (default none)
#   CLEAN_LOGS_SOURCE      file        log clean-up script to install (default: clean-logs.sh beside
#                                      this file; the document defines clean_logs_script instead)
#   ROOT                   directory   work on a file tree under this prefix (tests)
#   PATCH_STUB_APT         1           never run apt-get, dpkg-query or unattended-upgrade (tests)
set -eu

ROOT=${ROOT:-}
UPDATES_ORIGIN=${UPDATES_ORIGIN:-true}
AUTOMATIC_REBOOT=${AUTOMATIC_REBOOT:-true}
AUTOMATIC_REBOOT_TIME=${AUTOMATIC_REBOOT_TIME:-02:00}
MAIL_TO=${MAIL_TO:-}
PATCH_STUB_APT=${PATCH_STUB_APT:-0}
CLEAN_LOGS_SOURCE=${CLEAN_LOGS_SOURCE:-$(dirname "$0")/clean-logs.sh}

APT_DIR=$ROOT/etc/apt/apt.conf.d
UU_FILE=$APT_DIR/90lightsail-auditor-unattended-upgrades
PERIODIC_FILE=$APT_DIR/90lightsail-auditor-periodic
CLEAN_LOGS=$ROOT/usr/local/sbin/lightsail-auditor-clean-logs
CRON_FILE=$ROOT/etc/cron.d/lightsail-auditor-clean-logs
# unattended-upgrades expands these itself; they must reach the file literally.
# shellcheck disable=SC2016
UPDATES_PATTERN='origin=${distro_id},codename=${distro_codename}-updates'
HEADER='// Managed by lightsail-auditor (SSM Run Command): rewritten on every run, do not edit.
// To change a value, change the document parameters, or override it in a 99-prefixed file
// (the auditor then reports the difference as drift).'

CHANGED=""
DRIFT=""
ERRORS=""
SETTINGS=""
EFFECTIVE_UPDATES=false
REBOOT_REQUIRED=false
PENDING_SECURITY=null
DRY_RUN=stubbed
REPORTED=0

# ---------------------------------------------------------------------------------------------
# Output: details on stderr, one JSON line on stdout.
# ---------------------------------------------------------------------------------------------

log() { echo "$*" >&2; }

# A JSON string: control characters dropped, backslashes and quotes escaped, at most 300 bytes.
json_string() {
  printf '"%s"' "$(printf '%s' "$1" | tr -d '\000-\037' | cut -c1-300 | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g')"
}

changed() {
  CHANGED="${CHANGED:+$CHANGED,}$(json_string "$1")"
  log "changed: $1"
}

drift() {
  DRIFT="${DRIFT:+$DRIFT,}$(json_string "$1")"
  log "drift: $1"
}

error() {
  ERRORS="${ERRORS:+$ERRORS,}$(json_string "$1")"
  log "error: $1"
}

report() {
  REPORTED=1
  printf '{"lightsailAuditorPatch":1,"changed":[%s],"updatesOrigin":%s,"settings":{%s},"drift":[%s],"rebootRequired":%s,"pendingSecurityUpdates":%s,"dryRun":"%s","errors":[%s]}\n' \
    "$CHANGED" "$EFFECTIVE_UPDATES" "$SETTINGS" "$DRIFT" "$REBOOT_REQUIRED" "$PENDING_SECURITY" \
    "$DRY_RUN" "$ERRORS"
}

# shellcheck disable=SC2317 # called by the EXIT trap
on_exit() {
  status=$?
  if [ -n "$ROOT" ]; then rm -f "$ROOT/etc/apt/lightsail-auditor-root.conf"; fi
  if [ "$REPORTED" = 0 ]; then
    error "stopped unexpectedly (exit status $status)"
    report
    exit 1
  fi
}
trap on_exit EXIT

# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------

# write_file PATH MODE CONTENT: makes PATH hold exactly CONTENT (plus a final newline) with mode
# MODE; records PATH as changed only when it had to write.
write_file() {
  mkdir -p "$(dirname "$1")"
  printf '%s\n' "$3" >"$1~"
  chmod "$2" "$1~"
  if [ -f "$1" ] && cmp -s "$1~" "$1" && [ "$(stat -c %a "$1")" = "$2" ]; then
    rm -f "$1~"
  else
    mv -f "$1~" "$1"
    changed "${1#"$ROOT"}"
  fi
}

stubbed() { [ "$PATCH_STUB_APT" = 1 ]; }

# ---------------------------------------------------------------------------------------------
# 0. Inputs (the document's allowedValues/allowedPattern already restrict them; checked again)
# ---------------------------------------------------------------------------------------------

case $UPDATES_ORIGIN in true | false) ;; *) error "UPDATES_ORIGIN must be true or false, got '$UPDATES_ORIGIN'" ;; esac
case $AUTOMATIC_REBOOT in true | false) ;; *) error "AUTOMATIC_REBOOT must be true or false, got '$AUTOMATIC_REBOOT'" ;; esac
case $AUTOMATIC_REBOOT_TIME in
[01][0-9]:[0-5][0-9] | 2[0-3]:[0-5][0-9]) ;;
*) error "AUTOMATIC_REBOOT_TIME must be HH:MM (00:00 to 23:59), got '$AUTOMATIC_REBOOT_TIME'" ;;
esac
case $MAIL_TO in
'') ;;
*[!A-Za-z0-9._%+@-]* | *@*@* | @* | *@) error "MAIL_TO is not an e-mail address: '$MAIL_TO'" ;;
*@*.*) ;;
*) error "MAIL_TO is not an e-mail address: '$MAIL_TO'" ;;
esac
if [ -n "$ERRORS" ]; then
  report
  exit 1
fi

if [ -n "$ROOT" ]; then
  # apt reads APT_CONFIG first, then Dir::Etc::parts: point both at the tree under ROOT.
  mkdir -p "$APT_DIR"
  export APT_CONFIG="$ROOT/etc/apt/lightsail-auditor-root.conf"
  printf 'Dir::Etc::main "/dev/null";\nDir::Etc::parts "%s/";\n' "$APT_DIR" >"$APT_CONFIG"
fi

# ---------------------------------------------------------------------------------------------
# 1. The unattended-upgrades package
# ---------------------------------------------------------------------------------------------

if stubbed; then
  log "package installation stubbed (PATCH_STUB_APT=1)"
else
  # shellcheck disable=SC2016
  if dpkg-query -W -f='${Status}' unattended-upgrades 2>/dev/null | grep -q 'install ok installed'; then
    log "unattended-upgrades is installed"
  else
    log "installing unattended-upgrades"
    DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=300 update >&2 || true
    if DEBIAN_FRONTEND=noninteractive apt-get -q -y -o DPkg::Lock::Timeout=300 \
      -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
      install unattended-upgrades >&2; then
      changed "package unattended-upgrades"
    else
      error "cannot install unattended-upgrades (apt-get install failed; see the error output)"
    fi
  fi
fi

# ---------------------------------------------------------------------------------------------
# 2. apt configuration: the auditor's own drop-ins
# ---------------------------------------------------------------------------------------------

uu="$HEADER"
if [ "$UPDATES_ORIGIN" = true ]; then
  uu="$uu
Unattended-Upgrade::Origins-Pattern {
        \"$UPDATES_PATTERN\";
};"
fi
uu="$uu
Unattended-Upgrade::Remove-Unused-Kernel-Packages \"true\";
Unattended-Upgrade::Remove-New-Unused-Dependencies \"true\";
Unattended-Upgrade::Automatic-Reboot \"$AUTOMATIC_REBOOT\";
Unattended-Upgrade::Automatic-Reboot-Time \"$AUTOMATIC_REBOOT_TIME\";"
if [ -n "$MAIL_TO" ]; then
  uu="$uu
Unattended-Upgrade::Mail \"$MAIL_TO\";
Unattended-Upgrade::MailReport \"on-change\";"
fi
write_file "$UU_FILE" 644 "$uu"

write_file "$PERIODIC_FILE" 644 "$HEADER
APT::Periodic::Update-Package-Lists \"1\";
APT::Periodic::Download-Upgradeable-Packages \"1\";
APT::Periodic::Unattended-Upgrade \"1\";
APT::Periodic::AutocleanInterval \"7\";"

# ---------------------------------------------------------------------------------------------
# 3. Weekly log clean-up
# ---------------------------------------------------------------------------------------------

if command -v clean_logs_script >/dev/null 2>&1; then
  clean_logs=$(clean_logs_script)
elif [ -f "$CLEAN_LOGS_SOURCE" ]; then
  clean_logs=$(cat "$CLEAN_LOGS_SOURCE")
else
  clean_logs=""
  error "log clean-up script not found ($CLEAN_LOGS_SOURCE)"
fi
if [ -n "$clean_logs" ]; then
  write_file "$CLEAN_LOGS" 755 "$clean_logs"
  write_file "$CRON_FILE" 644 "# Managed by lightsail-auditor: delete old rotated Apache, MySQL/MariaDB and PHP-FPM logs.
SHELL=/bin/sh
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
0 3 * * 0 root /usr/local/sbin/lightsail-auditor-clean-logs 2>&1 | logger -t lightsail-auditor-clean-logs"
fi

# ---------------------------------------------------------------------------------------------
# 4. Check what apt actually sees
# ---------------------------------------------------------------------------------------------

# expect NAME EXPECTED ACTUAL: records the effective value, and drift when it differs.
expect() {
  SETTINGS="${SETTINGS:+$SETTINGS,}$(json_string "$1"):$(json_string "$3")"
  if [ "$3" != "$2" ]; then
    if [ -z "$3" ]; then drift "$1 is not set, expected \"$2\""; else drift "$1 is \"$3\", expected \"$2\""; fi
  fi
}

if dump=$(apt-config dump 2>&1); then
  V1="" V2="" V3="" V4="" V5="" V6="" V7="" V8="" V9="" V10=""
  eval "$(apt-config shell \
    V1 Unattended-Upgrade::Remove-Unused-Kernel-Packages \
    V2 Unattended-Upgrade::Remove-New-Unused-Dependencies \
    V3 Unattended-Upgrade::Automatic-Reboot \
    V4 Unattended-Upgrade::Automatic-Reboot-Time \
    V5 Unattended-Upgrade::Mail \
    V6 Unattended-Upgrade::MailReport \
    V7 APT::Periodic::Update-Package-Lists \
    V8 APT::Periodic::Download-Upgradeable-Packages \
    V9 APT::Periodic::Unattended-Upgrade \
    V10 APT::Periodic::AutocleanInterval)"
  expect Unattended-Upgrade::Remove-Unused-Kernel-Packages true "$V1"
  expect Unattended-Upgrade::Remove-New-Unused-Dependencies true "$V2"
  expect Unattended-Upgrade::Automatic-Reboot "$AUTOMATIC_REBOOT" "$V3"
  expect Unattended-Upgrade::Automatic-Reboot-Time "$AUTOMATIC_REBOOT_TIME" "$V4"
  if [ -n "$MAIL_TO" ]; then
    expect Unattended-Upgrade::Mail "$MAIL_TO" "$V5"
    expect Unattended-Upgrade::MailReport on-change "$V6"
  fi
  expect APT::Periodic::Update-Package-Lists 1 "$V7"
  expect APT::Periodic::Download-Upgradeable-Packages 1 "$V8"
  expect APT::Periodic::Unattended-Upgrade 1 "$V9"
  expect APT::Periodic::AutocleanInterval 7 "$V10"
  # Origins-Pattern is a list (every file adds to it): look for the -updates entry in the dump.
  if printf '%s\n' "$dump" | grep -q '^Unattended-Upgrade::Origins-Pattern:: ".*-updates"'; then
    EFFECTIVE_UPDATES=true
  fi
  if [ "$EFFECTIVE_UPDATES" != "$UPDATES_ORIGIN" ]; then
    drift "the -updates origin is $([ "$EFFECTIVE_UPDATES" = true ] && echo on || echo off), expected $([ "$UPDATES_ORIGIN" = true ] && echo on || echo off)"
  fi
else
  error "apt-config rejects the configuration: $(printf '%s\n' "$dump" | grep -m1 '^E:' || printf '%s' "$dump" | head -n1)"
fi

if stubbed; then
  log "unattended-upgrade dry run stubbed (PATCH_STUB_APT=1)"
elif command -v unattended-upgrade >/dev/null 2>&1; then
  if unattended-upgrade --dry-run --debug >&2 2>&1; then
    DRY_RUN=ok
  else
    DRY_RUN=failed
    error "unattended-upgrade --dry-run --debug failed; see the error output"
  fi
else
  DRY_RUN=unavailable
  error "unattended-upgrade is not installed, so nothing upgrades automatically"
fi

# ---------------------------------------------------------------------------------------------
# 5. State: reboot needed, security updates waiting
# ---------------------------------------------------------------------------------------------

if [ -e "$ROOT/var/run/reboot-required" ]; then REBOOT_REQUIRED=true; fi

if ! stubbed; then
  # Simulated upgrade with the current package lists; security updates name a *-security suite.
  if simulated=$(apt-get -s -q -o Debug::NoLocking=1 dist-upgrade 2>/dev/null); then
    PENDING_SECURITY=$(printf '%s\n' "$simulated" | grep '^Inst ' | grep -ci 'security' || true)
  else
    error "apt-get -s dist-upgrade failed, so pending security updates are unknown"
  fi
fi

report
if [ -n "$ERRORS" ] || [ -n "$DRIFT" ]; then exit 1; fi
exit 0
