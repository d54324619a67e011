"""``symptomatic serve``: the HTTP API and the web page (the ``web`` extra)."""

from __future__ import annotations

import argparse
import os


def cmd_serve(args: argparse.Namespace) -> int:
    from symptomatic import SymptomaticError, install_hint, load_knowledge

    try:
        import fastapi  # noqa: F401
        import uvicorn
    except ImportError:
        raise SymptomaticError(
            f"serve needs the web extra, which is not installed; install it with: "
            f"{install_hint('web')}"
        ) from None
    from symptomatic.api.app import CORS_ENV, KB_ENV
    from symptomatic.api.server import run

    os.environ[CORS_ENV] = ",".join(args.cors_origin)
    if args.kb:
        os.environ[KB_ENV] = args.kb
    load_knowledge(args.kb)  # fail early, with one line, on a broken knowledge base
    del uvicorn
    run(host=args.host, port=args.port, workers=args.workers)
    return 0
