"""python -m analysis.render [report.qmd] [--to html,pdf] [--route auto|builtin|quarto]"""
from __future__ import annotations

import argparse
import sys

from analysis.io.untrusted import say

from . import RenderError, quarto_available, render, render_with_quarto


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m analysis.render", description=__doc__)
    p.add_argument("qmd", nargs="?", default="report.qmd")
    p.add_argument("--out-dir", default="_output")
    p.add_argument("--to", default="html,pdf", help="comma-separated: html, pdf")
    p.add_argument("--route", choices=("auto", "builtin", "quarto"), default="builtin",
                   help="auto: quarto when on PATH, else built-in")
    p.add_argument("--traceback", action="store_true", help="on failure, print the full details")
    p.add_argument("--quiet", action="store_true")
    args = p.parse_args(argv)

    use_quarto = args.route == "quarto" or (args.route == "auto" and quarto_available())
    run = render_with_quarto if use_quarto else render
    try:
        run(args.qmd, args.out_dir, tuple(args.to.split(",")), quiet=args.quiet)
    except RenderError as e:
        if args.traceback and e.details:
            say(e.details, file=sys.stderr)
        say(f"render failed: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
