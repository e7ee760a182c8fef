#!/bin/sh
# Builds the consumer with nothing but `pkg-config certigraph` and runs it.
# usage: pkg_config.sh PREFIX CONSUMER.cpp WORKDIR REFERENTIEL.json
set -eu
prefix=$1 source=$2 work=$3 referentiel=$4
pc=$(find "$prefix" -name certigraph.pc | head -n 1)
[ -n "$pc" ] || { echo "no certigraph.pc under $prefix" >&2; exit 1; }
export PKG_CONFIG_PATH="$(dirname "$pc")"
libdir=$(pkg-config --variable=libdir certigraph)
mkdir -p "$work"
# shellcheck disable=SC2046 # pkg-config's output is meant to be split into words
${CXX:-g++} -std=c++20 "$source" -o "$work/consumer_pkg_config" $(pkg-config --cflags --libs certigraph) \
  -Wl,-rpath,"$libdir"
"$work/consumer_pkg_config" "$referentiel"
