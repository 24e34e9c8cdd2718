#!/usr/bin/env bash
# Mutation testing of the modules that count and attribute, one module at a time
# (mutmut 3, configured under [tool.mutmut] in pyproject.toml), and each one's score.
#
#   bash scripts/mutation.sh                          # all seven modules (about an hour on 2 cores)
#   bash scripts/mutation.sh analysis.text.segment    # one module
#
# Score = mutants killed (a test failed, or the mutant hung and timed out) / all
# mutants of the module.  mutmut keeps its state in mutants/ (git-ignored), so a
# rerun only checks what changed.  `.venv/bin/mutmut results` lists survivors,
# `.venv/bin/mutmut show <name>` prints one as a diff.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || set -- analysis.text.normalize analysis.text.segment analysis.coding.article \
  analysis.results.tables analysis.coding.stance analysis.coding.voices analysis.coding.speakers
# The tests that exercise each module, fastest first (pytest -x stops at the first failure).
# [tool.mutmut] lists them all; the others are deselected through PYTEST_ADDOPTS.
ALL="test_normalize test_segment test_handcoded test_scan test_context test_coding test_stance test_speakers test_voices test_voices_tables test_english test_nearmiss test_extract test_study test_anchors test_cache test_batch_csv test_revision test_clean"
tests_for() {
  case "$1" in
    analysis.text.normalize) echo "test_normalize test_segment test_handcoded test_context" ;;
    analysis.text.segment) echo "test_segment test_handcoded" ;;
    analysis.coding.article) echo "test_handcoded test_scan test_context test_coding" ;;
    analysis.results.tables) echo "test_handcoded" ;;
    analysis.extract.batch) echo "test_batch_csv test_handcoded test_extract test_coding" ;;
    analysis.inputs.seen) echo "test_study" ;;
    analysis.match.scan) echo "test_scan test_anchors" ;;
    analysis.io.cache) echo "test_cache" ;;
    analysis.coding.revision) echo "test_revision" ;;
    analysis.inputs.boilerplate|analysis.coding.clean) echo "test_clean test_segment" ;;
    # the seed-corpus tests (test_coding, test_english) cost seconds per mutant: with 1,600 mutants, too slow
    analysis.coding.speakers) echo "test_speakers test_voices test_voices_tables test_stance test_handcoded" ;;
    *) echo "test_stance test_speakers test_voices test_voices_tables test_handcoded test_coding test_english" ;;
  esac
}
export FRAMING_JOBS=1  # analyse in-process: worker processes would import the package without the mutant
for module in "$@"; do
  keep=" $(tests_for "$module") "
  ignore=""
  for t in $ALL; do
    case "$keep" in *" $t "*) ;; *) ignore="$ignore --deselect=tests/$t.py" ;; esac
  done
  PYTEST_ADDOPTS="$ignore" .venv/bin/mutmut run "$module.*" >/dev/null 2>&1 || true
  .venv/bin/mutmut results --all true 2>/dev/null | awk -v m="$module." '
    index($1, m) == 1 { total++; s = $NF; if (s == "killed" || s == "timeout") killed++; else left[s]++ }
    END {
      if (!total) { printf "%-28s no mutants\n", m; exit }
      printf "%-28s %4d/%-4d killed (%.1f %%)", m, killed, total, 100 * killed / total
      for (s in left) printf "  %s %d", s, left[s]
      printf "\n"
    }'
done
