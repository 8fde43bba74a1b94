#!/bin/sh
# Wait for a running pretrain.py (pid $1) to stop, resume it until its plan is complete, then write the card.
# Usage, from the repository root:
#   nohup setsid sh tools/pretrain/finish.sh <pid> >> tools/pretrain/work/nohup.log 2>&1 &
set -e
while kill -0 "$1" 2>/dev/null; do sleep 30; done
/usr/bin/python3 tools/pretrain/pretrain.py --budget-minutes 180
/usr/bin/python3 tools/pretrain/card.py
