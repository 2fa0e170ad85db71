#!/bin/sh
# expect_status.sh STATUS PATTERN COMMAND...: runs COMMAND with no input and
# passes when it exits with STATUS and its stderr is one line matching PATTERN
# (a grep -E expression).
want=$1; pattern=$2; shift 2
err=$("$@" </dev/null 2>&1 >/dev/null)
got=$?
if [ "$got" -ne "$want" ]; then
  echo "exit status $got, want $want; stderr: $err"; exit 1
fi
lines=$(printf '%s\n' "$err" | wc -l)
if [ "$lines" -ne 1 ]; then echo "stderr has $lines lines, want one sentence:"; echo "$err"; exit 1; fi
if ! printf '%s\n' "$err" | grep -Eq -- "$pattern"; then
  echo "stderr does not match '$pattern': $err"; exit 1
fi
echo "ok: status $got, $err"
