#!/bin/sh
# lightsail-auditor: a read-only inventory of the WordPress installs on this instance.
#
# For each install (a directory holding wp-includes/version.php) found at /opt/bitnami/wordpress
# (the Lightsail WordPress blueprints), /var/www/* and the paths in WORDPRESS_PATHS, it reports:
# the core version (wp-includes/version.php), each plugin (slug and Version header of its main
# file, as WordPress's get_file_data() reads it: the first 8 KB), must-use plugins, themes
# (style.css), the active theme when it can be told without the database, the wp-config.php facts
# that matter (a fixed list of constants, the file's mode and owner) and a debug.log under the
# site's tree.
#
# Read-only and safe on a live site: it never runs PHP (wp-config.php ends by loading WordPress),
# writes no file, and prints no secret: the only values it prints from wp-config.php are those of
# the constants named in CONSTANTS, reduced to a safe character set. Everything it prints is
# ONE JSON document on stdout, kept under 24,000 characters (what GetCommandInvocation returns of
# standard output) by listing fewer plugins and themes, with the count of the rest, when needed.
#
# Environment:
#   WORDPRESS_PATHS  extra install directories, separated by spaces or commas (document parameter)
#   ROOT             read a file tree under this prefix (tests); printed paths are without it
set -u

ROOT=${ROOT:-}
WORDPRESS_PATHS=${WORDPRESS_PATHS:-}
# GetCommandInvocation's StandardOutputContent holds the first 24,000 characters; leave room.
MAX_OUTPUT=23000
# The wp-config.php constants reported; nothing else from that file is ever printed.
CONSTANTS="DISALLOW_FILE_EDIT DISALLOW_FILE_MODS WP_DEBUG WP_DEBUG_DISPLAY WP_DEBUG_LOG AUTOMATIC_UPDATER_DISABLED WP_AUTO_UPDATE_CORE FORCE_SSL_ADMIN WP_CONTENT_DIR"

ERRORS=""
NL='
'

# A JSON string: control characters dropped, backslashes and quotes escaped, at most $2 bytes
# (default 200).
json_string() {
  # Plain short text (slugs, versions, paths) as is, without starting four processes.
  case $1 in
  *[!A-Za-z0-9._:/@+~\ -]*) ;;
  *) if [ "${#1}" -le "${2:-200}" ]; then
    printf '"%s"' "$1"
    return
  fi ;;
  esac
  printf '"%s"' "$(printf '%s' "$1" | tr -d '\000-\037\177' | cut -c1-"${2:-200}" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g')"
}

error() {
  ERRORS="${ERRORS:+$ERRORS,}$(json_string "$1")"
}

# header FILE FIELD...: the value of each header field (one line each, empty when absent) in the
# first 8 KB of FILE, as WordPress's get_file_data() reads plugin and theme headers: a line
# `Field: value` after optional spaces, tabs, slashes, stars, # or @; value trimmed, a trailing
# `*/` or `?>` removed.
header() {
  _file=$1
  shift
  head -c 8192 "$_file" 2>/dev/null | tr '\r' '\n' | awk -v fields="$*" '
    BEGIN { n = split(fields, f, " ") }
    {
      for (i = 1; i <= n; i++) {
        if (i in v) continue
        name = f[i]; gsub(/_/, " ", name)
        if (match(tolower($0), "^[ \t/*#@]*" tolower(name) ":")) {
          val = substr($0, RSTART + RLENGTH)
          sub(/\*\/.*$/, "", val); sub(/\?>.*$/, "", val)
          gsub(/^[ \t]+|[ \t]+$/, "", val)
          v[i] = val
        }
      }
    }
    END { for (i = 1; i <= n; i++) print v[i] }'
}

# config_facts FILE: `NAME<TAB>VALUE` for each constant of CONSTANTS that FILE defines, first
# definition only (PHP keeps the first). VALUE is true, false, an integer, a string reduced to
# [A-Za-z0-9._/:~-] (at most 120 characters), or `?` when the value is an expression. Comments are
# skipped and strings are read as PHP does, so a salt holding `/*` cannot hide what follows.
config_facts() {
  awk -v names="$CONSTANTS" '
    { src = src $0 "\n" }
    END {
      # Strip comments, keep code and strings (a small PHP tokenizer).
      q = sprintf("%c", 39); out = ""; n = length(src); i = 1
      while (i <= n) {
        c = substr(src, i, 1); c2 = substr(src, i, 2)
        if (c == q || c == "\"") {
          j = i + 1
          while (j <= n && substr(src, j, 1) != c) { if (substr(src, j, 1) == "\\") j++; j++ }
          out = out substr(src, i, j - i + 1); i = j + 1
        } else if (c2 == "/*") {
          j = index(substr(src, i + 2), "*/"); if (j == 0) break
          out = out " "; i = i + 2 + j + 1
        } else if (c2 == "//" || c == "#") {
          j = index(substr(src, i), "\n"); if (j == 0) break
          i = i + j - 1
        } else { out = out c; i++ }
      }
      count = split(names, list, " ")
      ws = "[ \t\r\n]*"
      for (k = 1; k <= count; k++) {
        name = list[k]
        # define( NAME , value ) or const NAME = value ;
        pos = 0; rest = out
        if (match(rest, "[dD][eE][fF][iI][nN][eE]" ws "\\(" ws "[" q "\"]" name "[" q "\"]" ws "," ws)) {
          pos = 1; rest = substr(rest, RSTART + RLENGTH)
        }
        if (!pos && match(out, "(^|[^A-Za-z0-9_])const[ \t\r\n]+" name ws "=" ws)) {
          pos = 1; rest = substr(out, RSTART + RLENGTH)
        }
        if (!pos) continue
        if (match(rest, "^([tT][rR][uU][eE]|[fF][aA][lL][sS][eE]|-?[0-9]+)" ws "[);]")) {
          val = tolower(substr(rest, 1, RLENGTH)); sub(/[ \t\r\n]*[);]$/, "", val)
        } else if (match(rest, "^" q "[^" q "\\\\]*" q ws "[);]") || match(rest, "^\"[^\"\\\\$]*\"" ws "[);]")) {
          val = substr(rest, 2, RLENGTH - 1); sub("[\"" q "]" ws "[);]$", "", val)
          gsub(/[^A-Za-z0-9._\/:~-]/, "", val)
          val = "s:" substr(val, 1, 120)
        } else val = "?"
        printf "%s\t%s\n", name, val
      }
    }' "$1" 2>/dev/null
}

# The constants' JSON object from config_facts output on stdin.
constants_json() {
  awk -F '\t' '
    {
      v = $2
      if (v == "?") v = "null"
      else if (v ~ /^s:/) v = "\"" substr(v, 3) "\""
      printf "%s\"%s\":%s", (NR > 1 ? "," : ""), $1, v
    }'
}

# fact NAME FACTS: the raw value of NAME in FACTS (config_facts output), empty when not defined.
fact() {
  printf '%s\n' "$2" | awk -F '\t' -v n="$1" '$1 == n { print $2 }'
}

# plugin_lines DIR [M]: a line `P ["slug","version"]` (M for must-use plugins) per plugin in
# DIR. A plugin is a directory whose PHP file (DIR/slug/slug.php first) has a `Plugin Name:`
# header, or a single PHP file in DIR with one; must-use plugins are single files only, as
# WordPress loads them.
plugin_lines() {
  _dir=$1 _tag=${2:-P}
  [ -d "$_dir" ] || return 0
  for _p in "$_dir"/*; do
    _slug=${_p##*/}
    _found=""
    if [ -f "$_p" ]; then
      case $_p in *.php) ;; *) continue ;; esac
      _slug=${_slug%.php}
      _found=$(header "$_p" Plugin_Name Version)
    elif [ -d "$_p" ] && [ "$_tag" = P ]; then
      for _f in "$_p/$_slug.php" "$_p"/*.php; do
        [ -f "$_f" ] || continue
        _found=$(header "$_f" Plugin_Name Version)
        [ -n "${_found%%"$NL"*}" ] && break
      done
    fi
    [ -n "${_found%%"$NL"*}" ] || continue
    printf '%s [%s,%s]\n' "$_tag" "$(json_string "$_slug" 100)" "$(json_string "${_found#*"$NL"}" 40)"
  done
}

# theme_lines DIR: a line `T ["slug","version"]` per theme (style.css with a `Theme Name:`
# header) in DIR.
theme_lines() {
  for _t in "$1"/*/style.css; do
    [ -f "$_t" ] || continue
    _found=$(header "$_t" Theme_Name Version)
    [ -n "${_found%%"$NL"*}" ] || continue
    _slug=${_t%/style.css}
    printf 'T [%s,%s]\n' "$(json_string "${_slug##*/}" 100)" "$(json_string "${_found#*"$NL"}" 40)"
  done
}

# site_lines DIR: one install as lines: `S {"path":…,"core":…,"config":…,"debugLog":…` (the
# object without its lists and closing brace), then its P, M and T lines, and E lines (errors);
# render() joins them.
site_lines() {
  _site=$1
  _core=$(sed -n "s/^[[:space:]]*\$wp_version[[:space:]]*=[[:space:]]*'\([^']*\)'.*/\1/p" "$_site/wp-includes/version.php" | head -n 1)
  # wp-config.php sits in the install directory or the one above it (WordPress looks in both).
  _config=""
  for _c in "$_site/wp-config.php" "${_site%/*}/wp-config.php"; do
    if [ -f "$_c" ]; then
      _config=$_c
      break
    fi
  done
  _facts=""
  _config_json=null
  if [ -n "$_config" ]; then
    _constants=""
    _includes=false
    _readable=false
    if [ -r "$_config" ]; then
      _readable=true
      _facts=$(config_facts "$_config")
      _constants=$(printf '%s\n' "$_facts" | sed '/^$/d' | constants_json)
      # A file it loads besides wp-settings.php (Debian's /etc/wordpress/config-*.php) may
      # define more: those are not read.
      if grep -Ei '^[^/#*]*(require|include)(_once)?[[:space:]]*[("'"'"']' "$_config" | grep -vqi 'wp-settings\.php'; then
        _includes=true
      fi
    else
      # site_lines runs in a subshell: its errors travel as E lines to render().
      printf 'E %s\n' "$(json_string "${_config#"$ROOT"} is not readable")"
    fi
    _stat=$(stat -L -c '%a %U %G' "$_config" 2>/dev/null)
    _mode=${_stat%% *}
    _owner=${_stat#* }
    _group=${_owner#* }
    _owner=${_owner%% *}
    _config_json="{\"path\":$(json_string "${_config#"$ROOT"}"),\"mode\":$(json_string "$_mode" 8),\"owner\":$(json_string "$_owner" 64),\"group\":$(json_string "$_group" 64),\"readable\":$_readable,\"loadsOtherFiles\":$_includes,\"constants\":{$_constants}}"
  fi
  # wp-content: WP_CONTENT_DIR when wp-config.php sets it to a directory that exists.
  _content=$_site/wp-content
  _cd=$(fact WP_CONTENT_DIR "$_facts")
  case $_cd in s:/*) if [ -d "$ROOT${_cd#s:}" ]; then _content=$ROOT${_cd#s:}; fi ;; esac
  # debug.log where WordPress writes it (WP_DEBUG_LOG true: wp-content/debug.log; a path: there).
  _log=$_content/debug.log
  _dl=$(fact WP_DEBUG_LOG "$_facts")
  case $_dl in s:/*) _log=$ROOT${_dl#s:} ;; esac
  _debug_log=null
  if [ -f "$_log" ]; then
    # Served when it lies under the install directory (the document root) or wp-content, unless
    # an .htaccess beside it denies it.
    _served=false
    case $_log in "$_site"/* | "$_content"/*) _served=true ;; esac
    _ht=${_log%/*}/.htaccess
    if [ "$_served" = true ] && [ -f "$_ht" ] && grep -qi 'debug\.log' "$_ht" &&
      grep -Eqi 'deny from all|require all denied' "$_ht"; then
      _served=false
    fi
    _debug_log="{\"path\":$(json_string "${_log#"$ROOT"}"),\"bytes\":$(wc -c <"$_log" | tr -d ' '),\"served\":$_served}"
  fi
  printf 'S {"path":%s,"core":%s,"config":%s,"debugLog":%s\n' "$(json_string "${_site#"$ROOT"}")" \
    "$(if [ -n "$_core" ]; then json_string "$_core" 40; else echo null; fi)" "$_config_json" "$_debug_log"
  plugin_lines "$_content/plugins"
  plugin_lines "$_content/mu-plugins" M
  theme_lines "$_content/themes"
}

# render CAP: the JSON document from RAW (the site_lines of every install), each list cut at CAP
# entries with the count of the rest. Without the database the active theme is known only when a
# single theme is installed (WordPress can then use no other).
render() {
  printf '%s\n' "$RAW" | awk -v cap="$1" -v errors="$ERRORS" '
    function list(tag,   out, i) {
      out = ""
      for (i = 1; i <= cnt[tag] && i <= cap; i++) out = out (i > 1 ? "," : "") item[tag, i]
      return "[" out "],\"" name[tag] "More\":" (cnt[tag] > cap ? cnt[tag] - cap : 0)
    }
    function flush() {
      if (head == "") return
      active = "null"
      if (cnt["T"] == 1) { active = item["T", 1]; sub(/^\[/, "", active); sub(/","[^"]*"\]$/, "\"", active) }
      sites = sites (sites == "" ? "" : ",") head ",\"plugins\":" list("P") ",\"muPlugins\":" list("M") \
        ",\"themes\":" list("T") ",\"activeTheme\":" active "}"
      head = ""; cnt["P"] = 0; cnt["M"] = 0; cnt["T"] = 0
    }
    BEGIN { name["P"] = "plugins"; name["M"] = "muPlugins"; name["T"] = "themes" }
    /^S / { flush(); head = substr($0, 3); next }
    /^[PMT] / { t = substr($0, 1, 1); cnt[t]++; item[t, cnt[t]] = substr($0, 3) }
    /^E / { errors = errors (errors == "" ? "" : ",") substr($0, 3) }
    END {
      flush()
      printf "{\"lightsailAuditorWp\":1,\"sites\":[%s],\"listCap\":%d,\"errors\":[%s]}\n", sites, cap, errors
    }'
}

# ---------------------------------------------------------------------------------------------
# The installs: the Bitnami path, /var/www/*, then the parameter's paths; each directory once.
# ---------------------------------------------------------------------------------------------
RAW=""
SEEN=""
add_site() {
  case $1 in /*) ;; *)
    error "not an absolute path: $1"
    return 0
    ;;
  esac
  _d=$ROOT${1%/}
  if [ ! -f "$_d/wp-includes/version.php" ]; then
    [ "${2:-}" = quiet ] || error "no WordPress install at $1 (no wp-includes/version.php)"
    return 0
  fi
  case "$NL$SEEN$NL" in *"$NL$_d$NL"*) return 0 ;; esac
  SEEN="$SEEN$NL$_d"
  RAW="$RAW$NL$(site_lines "$_d")"
}
add_site /opt/bitnami/wordpress quiet
for _w in "$ROOT"/var/www/*; do
  if [ -d "$_w" ]; then add_site "${_w#"$ROOT"}" quiet; fi
done
for _w in $(printf '%s' "$WORDPRESS_PATHS" | tr ',' ' '); do
  add_site "$_w"
done

# ---------------------------------------------------------------------------------------------
# Output: fewer plugins and themes listed per install until the document fits.
# ---------------------------------------------------------------------------------------------
for CAP in 200 100 50 20 5 0; do
  OUT=$(render "$CAP")
  [ "${#OUT}" -le "$MAX_OUTPUT" ] && break
done
if [ "${#OUT}" -gt "$MAX_OUTPUT" ]; then
  OUT='{"lightsailAuditorWp":1,"sites":[],"listCap":0,"errors":["the installs found do not fit in 24,000 characters even without their plugin and theme lists"]}'
fi
printf '%s\n' "$OUT"
