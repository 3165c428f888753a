#!/usr/bin/env bash
# Checks T-SQL entries with Microsoft's ScriptDom parser (see ScriptDomCheck/Program.cs).
#
# Usage: tools/tsql-check/run.sh <entries.json | ->     (works from any directory)
# Exit:  0 clean, 1 problems found, 2 bad input, 3 the tool could not be built or crashed.
#
# The tool is built once (Release, into ScriptDomCheck/bin) and rebuilt only when its
# sources change; `dotnet restore` runs only when the project file changed or on first use.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
proj_dir="$here/ScriptDomCheck"
proj="$proj_dir/ScriptDomCheck.csproj"
dll="$proj_dir/bin/Release/net10.0/ScriptDomCheck.dll"
stamp="$proj_dir/bin/.tsql-check-built"   # touched after each successful build
assets="$proj_dir/obj/project.assets.json" # written by restore

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# True when there is no build yet, or a source file is newer than the last build.
needs_build() {
  [[ -f "$dll" && -f "$stamp" ]] || return 0
  [[ -n "$(find "$proj_dir" -maxdepth 1 \( -name '*.cs' -o -name '*.csproj' \) -newer "$stamp" -print -quit)" ]]
}

needs_restore() {
  [[ ! -f "$assets" || "$proj" -nt "$assets" ]]
}

# Runs a dotnet step quietly; its output is shown (on stderr) only when it fails, so that
# stdout carries nothing but the check's own report.
quiet_step() {
  local log
  log="$(mktemp)"
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "tsql-check: '$1 $2' failed" >&2
    exit 3
  fi
  rm -f "$log"
}

build_if_needed() {
  needs_build || return 0
  echo "tsql-check: building ScriptDomCheck (Release)..." >&2
  if needs_restore; then
    quiet_step dotnet restore "$proj" -nologo
  fi
  quiet_step dotnet build "$proj" -c Release --no-restore -nologo -v q
  touch "$stamp"
}

# Serialise builds so that two checks started together do not write bin/ at the same time.
mkdir -p "$proj_dir/obj"
if command -v flock >/dev/null 2>&1; then
  exec 9>"$proj_dir/obj/.tsql-check.lock"
  flock 9
  build_if_needed
  flock -u 9
  exec 9>&-
else
  build_if_needed
fi

exec dotnet "$dll" "$@"
