#!/usr/bin/env bash
# Packs the repository into a local folder feed and uses it as a user would: builds the sample consumer
# (tests/MlNetInverse.PackageConsumer) against the MlNetInverse package by version, fits a tiny chain and saves one zip,
# loads the zip in a fresh process and generates images; then installs the mlnet-inverse tool from the feed and runs it.
# Usage: bash .ci/package-consumer.sh [work folder]   (default: a new temp folder, removed at the end)
set -euo pipefail
cd "$(dirname "$0")/.."

work="${1:-}"
if [ -z "$work" ]; then work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT; fi
mkdir -p "$work"
feed="$work/feed"
version="$(dotnet msbuild src/MlNetInverse/MlNetInverse.csproj -getProperty:Version -nologo)"

echo "package-consumer: packing $version into $feed"
# The tool's pack stages a publish of the CLI (libtorch included, 0.8 GB): stage it in the work folder and drop it once
# packed, so a CI machine's disk holds one copy of libtorch less.
dotnet pack MlNetInverse.sln -c Release -o "$feed" -nologo -v quiet -p:PublishDir="$work/publish/"
rm -rf "$work/publish"
ls -l "$feed"

# The global package cache keeps the first extraction of a version: drop ours so restore takes what was just packed.
cache="$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')"
for id in mlnetinverse mlnetinverse.physics mlnetinverse.models mlnetinverse.ml mlnetinverse.baselines mlnetinverse.workflows mlnet-inverse; do
  rm -rf "${cache%/}/$id/$version"
done

echo "package-consumer: building the sample consumer against the feed"
dotnet build tests/MlNetInverse.PackageConsumer/MlNetInverse.PackageConsumer.csproj -c Release -nologo -v quiet \
  -p:MlNetInverseVersion="$version" -p:RestoreAdditionalProjectSources="$feed" -o "$work/app"

"$work/app/MlNetInverse.PackageConsumer" fit data/microstructures.parquet "$work/model.zip"
# A fresh process: only the zip carries the model over.
"$work/app/MlNetInverse.PackageConsumer" generate "$work/model.zip" "$work/designs"
test "$(ls "$work/designs" | wc -l)" -eq 8
# The consumer's output carries its own libtorch (0.8 GB); the tool below brings another.
rm -rf "$work/app"

echo "package-consumer: installing the mlnet-inverse tool from the feed"
dotnet tool install mlnet-inverse --version "$version" --add-source "$feed" --tool-path "$work/tool"
"$work/tool/mlnet-inverse" info
# The tool judges one of the library's designs by RCWA on the dataset's stack.
"$work/tool/mlnet-inverse" simulate --pattern "$work/designs/target-0.60-0.txt" --stack pipelines/stacks/default.json
echo "package-consumer: passed"
