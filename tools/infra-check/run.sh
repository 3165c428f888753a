#!/usr/bin/env bash
# Infrastructure check: builds and lints bicep/main.bicep with the Bicep CLI, then checks that the
# Bicep, the APIM policies, the OpenAPI document and the function registry agree
# (tools/infra-check/consistency.ts).
#
# Usage: bash tools/infra-check/run.sh        (from any directory; needs Node, npm deps and dotnet)
# Exit:  0 clean; 1 a check failed (errors, unjustified warnings or inconsistencies);
#        3 the Bicep CLI could not be obtained.
#
# The Bicep CLI comes from the NuGet package Azure.Bicep.CommandLine.linux-x64 (a self-contained
# executable), restored once with `dotnet restore` into tools/infra-check/.cli and reused from
# there, so a cached run needs no network.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cli_dir="$here/.cli"
bicep_version="0.49.2"
package="azure.bicep.commandline.linux-x64"
bicep="$cli_dir/packages/$package/$bicep_version/tools/bicep"
build_dir="$cli_dir/build"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

fetch_bicep() {
  [[ -x "$bicep" ]] && return 0
  if [[ -f "$bicep" ]]; then chmod +x "$bicep"; return 0; fi
  echo "infra-check: fetching the Bicep CLI $bicep_version from NuGet..." >&2
  local restore="$cli_dir/restore"
  mkdir -p "$restore"
  # PackageDownload fetches the package without referencing it; the project builds nothing.
  cat >"$restore/fetch-bicep.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
  </PropertyGroup>
  <ItemGroup>
    <PackageDownload Include="Azure.Bicep.CommandLine.linux-x64" Version="[$bicep_version]" />
  </ItemGroup>
</Project>
EOF
  local log
  log="$(mktemp)"
  if ! dotnet restore "$restore/fetch-bicep.csproj" --packages "$cli_dir/packages" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "infra-check: could not restore $package $bicep_version" >&2
    exit 3
  fi
  rm -f "$log"
  # Only the package is kept: the restore project's obj/ holds JSON that linters would pick up.
  rm -rf "$restore"
  if [[ ! -f "$bicep" ]]; then
    echo "infra-check: $package $bicep_version has no tools/bicep" >&2
    exit 3
  fi
  chmod +x "$bicep"
}

# Serialise the first download so that two runs started together do not restore at once.
mkdir -p "$cli_dir"
if command -v flock >/dev/null 2>&1; then
  exec 9>"$cli_dir/.lock"
  flock 9
  fetch_bicep
  flock -u 9
  exec 9>&-
else
  fetch_bicep
fi

passed=0
failed=0
step() { # step <description> <command...>: runs a step whose output must hold no diagnostics
  local what="$1"; shift
  local out rc=0
  out="$("$@" 2>&1)" || rc=$?
  # Any diagnostic (Error or Warning) fails the step; justified exceptions are switched off in
  # bicep/bicepconfig.json, never filtered here.
  if [[ $rc -ne 0 ]] || grep -Eq ': (Error|Warning) [A-Za-z0-9-]+:' <<<"$out"; then
    failed=$((failed + 1))
    echo "FAIL - $what"
    sed 's/^/       /' <<<"$out"
  else
    passed=$((passed + 1))
    echo "ok   - $what"
  fi
}

echo "infra-check: Bicep CLI $("$bicep" --version | sed 's/^Bicep CLI version //')"
rm -rf "$build_dir"
mkdir -p "$build_dir"
# Outputs get extensions that no formatter or linter of the repository picks up.
step "bicep build bicep/main.bicep" "$bicep" build "$root/bicep/main.bicep" --outfile "$build_dir/main.arm"
step "bicep lint bicep/main.bicep" "$bicep" lint "$root/bicep/main.bicep"
for module in "$root"/bicep/modules/*.bicep; do
  step "bicep lint bicep/modules/$(basename "$module")" "$bicep" lint "$module"
done

# What the template would deploy, evaluated for two parameter sets (tools/infra-check/*.bicepparam).
# The snapshot is written beside its .bicepparam, so each is copied into the build folder first.
snapshot() { # snapshot <name>: tools/infra-check/<name>.bicepparam -> $build_dir/<name>.snapshot
  local source="$here/$1.bicepparam" copy="$build_dir/$1.bicepparam"
  sed "s#^using '../../bicep/main.bicep'#using '../../../../bicep/main.bicep'#" "$source" >"$copy"
  (cd "$build_dir" && "$bicep" snapshot "$copy" --mode overwrite \
    --subscription-id 00000000-0000-0000-0000-000000000000 \
    --tenant-id 00000000-0000-0000-0000-000000000001 \
    --location australiaeast --deployment-name infra-check) || return
  mv "$build_dir/$1.snapshot.json" "$build_dir/$1.snapshot"
}
step "bicep lint tools/infra-check/check.bicepparam" "$bicep" lint "$here/check.bicepparam"
step "bicep lint tools/infra-check/check-consumption.bicepparam" "$bicep" lint "$here/check-consumption.bicepparam"
step "bicep snapshot (Developer tier, secrets given)" snapshot check
step "bicep snapshot (Consumption tier, no secrets)" snapshot check-consumption

# Consistency: its own lines, then its own closing count, which the totals below include.
args=()
if [[ -f "$build_dir/check.snapshot" ]]; then
  args+=(--snapshot "$build_dir/check.snapshot" --params "$here/check.bicepparam")
fi
if [[ -f "$build_dir/check-consumption.snapshot" ]]; then
  args+=(--consumption-snapshot "$build_dir/check-consumption.snapshot"
    --consumption-params "$here/check-consumption.bicepparam")
fi
consistency_out="$(mktemp)"
rc=0
(cd "$root" && node --import tsx tools/infra-check/consistency.ts "${args[@]}") | tee "$consistency_out" || rc=$?
summary="$(grep -E '^consistency: [0-9]+ passed, [0-9]+ failed$' "$consistency_out" | tail -1 || true)"
rm -f "$consistency_out"
if [[ -z "$summary" ]]; then
  failed=$((failed + 1))
  echo "FAIL - consistency check did not report (exit $rc)"
else
  read -r c_passed c_failed < <(sed -E 's/^consistency: ([0-9]+) passed, ([0-9]+) failed$/\1 \2/' <<<"$summary")
  passed=$((passed + c_passed))
  failed=$((failed + c_failed))
  if [[ $rc -ne 0 && $c_failed -eq 0 ]]; then
    failed=$((failed + 1))
    echo "FAIL - consistency check exited $rc"
  fi
fi

echo "infra-check: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
