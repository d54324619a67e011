"""``symptomatic bench``: the benchmarks (DDXPlus, language, synthetic, triage, words)."""

from __future__ import annotations

import argparse

from symptomatic.cli._output import print_mapping


def cmd_bench(args: argparse.Namespace) -> int:
    from symptomatic import InputError, load_knowledge

    kb = load_knowledge(args.kb)
    as_json = getattr(args, "json", False)
    if args.bench == "words":
        from symptomatic.bench.words import run_words

        print_mapping(run_words(kb), as_json=as_json)
    elif args.bench == "language":
        from symptomatic.bench.language import run_language

        print_mapping(
            run_language(kb, patients_csv=args.patients, limit=args.limit), as_json=as_json
        )
    elif args.bench == "triage":
        from symptomatic.bench.triage import run_triage

        print_mapping(run_triage(kb), as_json=as_json)
    elif args.bench == "synthetic":
        from symptomatic.bench.synthetic import run_synthetic

        out = run_synthetic(kb, per_condition=args.per_condition, seed=args.seed)
        print_mapping(out, as_json=as_json)
    elif args.bench == "ddxplus":
        from symptomatic.bench.ddxplus import default_progress, run_full

        progress = None if as_json else default_progress()
        if args.mode == "full":
            out = run_full(kb, args.patients_csv, limit=args.limit, progress=progress)
        else:
            from symptomatic.bench.interactive import run_interactive

            out = run_interactive(
                kb,
                args.patients_csv,
                max_questions=args.max_questions,
                limit=args.limit,
                progress=progress,
            )
        print_mapping(out, as_json=as_json)
    else:
        raise InputError(
            "bench",
            "choose a benchmark",
            args.bench,
            ["ddxplus", "language", "synthetic", "triage", "words"],
        )
    return 0
