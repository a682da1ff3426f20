#!/usr/bin/env bash
# Two processes synthesize different specs into one database at the same
# time: db-two-writers.sh TESSEL DB A.mlir B.mlir
set -e
"$1" explain --target=avx512 --search-threads=1 --db="$2" "$3" > /dev/null &
a=$!
"$1" explain --target=avx512 --search-threads=1 --db="$2" "$4" > /dev/null &
b=$!
wait $a
wait $b
