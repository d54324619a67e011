"""The parser's steps, each a module: normalise, tokens, match, context, quantities,
findings, detect. :mod:`symptomatic.language.parse` runs them in order."""
