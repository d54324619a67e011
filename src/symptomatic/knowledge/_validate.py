"""The one validator of a knowledge base directory: every file's shape, then the rules
across files and the invariants that keep answers sane.

:func:`validate_knowledge` returns every problem found, each a
:class:`~symptomatic.KnowledgeError` naming the file, the path inside it and the value.
Beyond the schema (:mod:`symptomatic.knowledge._schema`) it checks that every reference
exists, ids are unique, each number is finite and in range with a known source,
categorical rows sum to 1, the age and sex terms are bounded, every condition has its
ICD-10 code, care level and information in both languages, every care level at the two
emergency levels can be reached by a red-flag rule, and that a compiled form, when there
is one, was made from these very files.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from symptomatic._errors import KnowledgeError
from symptomatic._levels import URGENT_LEVELS
from symptomatic.knowledge._files import kb_digest, list_conditions
from symptomatic.knowledge._io import Node, read_json
from symptomatic.knowledge._schema import (
    OPTIONAL,
    ROLES,
    SCHEMAS,
    ConditionFile,
    VocabularyFile,
)

__all__ = ["validate_knowledge"]

#: A categorical row's probabilities must sum to 1 within this.
ROW_TOLERANCE = 0.02


def _path(loc: tuple[int | str, ...]) -> str:
    out = "$"
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def _dig(doc: Any, loc: tuple[int | str, ...]) -> Any:
    for part in loc:
        try:
            doc = doc[part]
        except (KeyError, IndexError, TypeError):
            return None
    return doc if isinstance(doc, str | int | float | bool) or doc is None else None


def _parse(
    model: type[BaseModel], doc: Any, file: str, problems: list[KnowledgeError]
) -> BaseModel | None:
    try:
        return model.model_validate(doc)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(err["loc"])
            problems.append(KnowledgeError(file, _path(loc), err["msg"], _dig(doc, loc)))
        return None


def validate_knowledge(directory: Node) -> list[KnowledgeError]:
    """Every problem of the knowledge base in ``directory`` (an empty list when valid)."""
    from pathlib import Path

    node: Node = Path(directory) if isinstance(directory, str) else directory
    problems: list[KnowledgeError] = []
    parsed: dict[str, Any] = {}
    for name, model in SCHEMAS.items():
        if name in OPTIONAL and not (node / name).is_file():
            continue
        try:
            doc = read_json(node, name)
        except KnowledgeError as exc:
            problems.append(exc)
            continue
        parsed[name] = _parse(model, doc, name, problems)
    conditions: dict[str, ConditionFile] = {}
    try:
        ids = list_conditions(node)
    except KnowledgeError as exc:
        problems.append(exc)
        ids = []
    if not ids and not problems:
        problems.append(KnowledgeError("conditions/", "$", "has no condition"))
    for cid in ids:
        file = f"conditions/{cid}.json"
        try:
            doc = read_json(node / "conditions", f"{cid}.json", label=file)
        except KnowledgeError as exc:
            problems.append(exc)
            continue
        cond = _parse(ConditionFile, doc, file, problems)
        if isinstance(cond, ConditionFile):
            if cond.id != cid:
                problems.append(KnowledgeError(file, "$.id", "must equal the file name", cond.id))
            conditions[cid] = cond
    vocab = parsed.get("vocabulary.json")
    if isinstance(vocab, VocabularyFile):
        _check_vocabulary(vocab, problems)
        _check_conditions(vocab, conditions, parsed.get("sources.json"), problems)
        if parsed.get("red_flags.json") is not None:
            _check_red_flags(vocab, parsed["red_flags.json"], conditions, problems)
    if not problems and (node / "compiled" / "manifest.json").is_file():
        manifest = read_json(node / "compiled", "manifest.json", label="compiled/manifest.json")
        digest = kb_digest(node, ids)
        if manifest.get("kb_sha256") != digest:
            problems.append(
                KnowledgeError(
                    "compiled/manifest.json",
                    "$.kb_sha256",
                    "the compiled form was made from other files; run tools/kb/build.py --compile",
                    manifest.get("kb_sha256"),
                )
            )
    return problems


def _check_vocabulary(vocab: VocabularyFile, problems: list[KnowledgeError]) -> None:
    file = "vocabulary.json"

    def bad(path: str, problem: str, value: object = None) -> None:
        problems.append(KnowledgeError(file, path, problem, value))

    values = {v.id for v in vocab.values}
    for vid, n in Counter(v.id for v in vocab.values).items():
        if n > 1:
            bad("$.values", "duplicate value id", vid)
    ids = Counter(e.id for e in vocab.evidences)
    for eid, n in ids.items():
        if n > 1:
            bad("$.evidences", "duplicate evidence id", eid)
    seen_alias: dict[str, str] = {}
    for i, e in enumerate(vocab.evidences):
        at = f"$.evidences[{i}]"
        if e.parent is not None and e.parent not in ids:
            bad(f"{at}.parent", "unknown evidence", e.parent)
        for role in e.roles:
            if role not in ROLES:
                bad(f"{at}.roles", f"unknown role; known: {', '.join(sorted(ROLES))}", role)
        choices = [str(k) for k in range(11)] if e.scale else e.values
        if e.kind == "binary" and (e.values or e.scale or e.default is not None):
            bad(f"{at}.kind", "a binary evidence has no values, scale or default", e.id)
        if e.kind != "binary" and not choices:
            bad(f"{at}.values", "a categorical or multi-choice evidence needs values", e.id)
        for v in e.values:
            if v not in values:
                bad(f"{at}.values", "unknown value", v)
        if e.default is not None and e.default not in choices:
            bad(f"{at}.default", "is not one of the evidence's values", e.default)
        for source, codes in e.aliases.items():
            for code in codes:
                other = seen_alias.setdefault(f"{source}:{code.upper()}", e.id)
                if other != e.id:
                    bad(f"{at}.aliases.{source}", f"alias already used by {other}", code)
        bg = e.background
        if e.kind == "binary" and bg.p is None:
            bad(f"{at}.background", "a binary evidence's background is one probability p", e.id)
        if e.kind != "binary":
            if bg.values is None:
                bad(f"{at}.background", "needs a distribution over values", e.id)
            else:
                _check_row(bg.values, choices, f"{at}.background.values", bad)


def _check_row(row: Mapping[str, float], choices: list[str], path: str, bad: Any) -> None:
    for v in row:
        if v not in choices:
            bad(path, "is not a value of this evidence", v)
    total = sum(row.values())
    if abs(total - 1.0) > ROW_TOLERANCE:
        bad(path, f"must sum to 1 (within {ROW_TOLERANCE})", round(total, 4))


def _check_conditions(
    vocab: VocabularyFile,
    conditions: Mapping[str, ConditionFile],
    sources: Any,
    problems: list[KnowledgeError],
) -> None:
    evidences = {e.id: e for e in vocab.evidences}
    known_sources = set(sources.datasets) if sources is not None else set()
    for cid, c in conditions.items():
        file = f"conditions/{cid}.json"

        def bad(path: str, problem: str, value: object = None, file: str = file) -> None:
            problems.append(KnowledgeError(file, path, problem, value))

        def source_ok(path: str, source: str) -> None:
            if known_sources and source.split(":")[0] not in known_sources:
                bad(path, f"unknown source; known: {', '.join(sorted(known_sources))}", source)

        source_ok("$.prior.source", c.prior.source)
        if c.source not in known_sources and known_sources:
            bad("$.source", "unknown source", c.source)
        for name, entry in c.likelihood.items():
            e = evidences.get(name)
            if e is None:
                bad(f"$.likelihood.{name}", "unknown evidence", name)
                continue
            source_ok(f"$.likelihood.{name}.source", entry.source)
            if e.kind == "binary" and entry.p is None:
                bad(f"$.likelihood.{name}", "a yes/no evidence takes one probability p", name)
            elif e.kind != "binary":
                if entry.values is None:
                    bad(f"$.likelihood.{name}", "needs values, a distribution", name)
                    continue
                choices = [str(k) for k in range(11)] if e.scale else e.values
                _check_row(entry.values, choices, f"$.likelihood.{name}.values", bad)
        for i, rule in enumerate(c.unlisted):
            if isinstance(rule.p, float) and not 0.0 < rule.p < 0.5:
                bad(f"$.unlisted[{i}].p", "must be in (0, 0.5)", rule.p)
            source_ok(f"$.unlisted[{i}].source", rule.source)
            if rule.p == "leak":
                for e in evidences.values():
                    covered = rule.scope in e.aliases or rule.scope == "binary"
                    if covered and e.leak is None and e.kind == "binary":
                        bad(f"$.unlisted[{i}]", f"evidence {e.id} has no leak", e.id)
                        break
        if c.age is not None:
            source_ok("$.age.source", c.age.source)
        if c.sex_log_ratio is not None:
            source_ok("$.sex_log_ratio.source", c.sex_log_ratio.source)
        if c.severity == 1 and c.care.level in ("consultation", "self_care"):
            bad("$.care.level", "severity 1 needs care within 24 hours at least", c.care.level)
        if c.severity == 5 and c.care.level in URGENT_LEVELS:
            bad("$.care.level", "severity 5 (mild) cannot need an emergency", c.care.level)


def _check_red_flags(
    vocab: VocabularyFile,
    red_flags: Any,
    conditions: Mapping[str, ConditionFile],
    problems: list[KnowledgeError],
) -> None:
    file = "red_flags.json"
    evidences = {e.id: e for e in vocab.evidences}
    for rid, n in Counter(r.id for r in red_flags.rules).items():
        if n > 1:
            problems.append(KnowledgeError(file, "$.rules", "duplicate rule id", rid))
    for i, rule in enumerate(red_flags.rules):
        for j, part in enumerate(rule.all_of):
            for k, clause in enumerate(part.any_of):
                at = f"$.rules[{i}].all_of[{j}].any_of[{k}]"
                if clause.evidence is None:
                    continue
                e = evidences.get(clause.evidence)
                if e is None:
                    problems.append(KnowledgeError(file, at, "unknown evidence", clause.evidence))
                    continue
                choices = [str(x) for x in range(11)] if e.scale else e.values
                for v in clause.values:
                    if v not in choices:
                        problems.append(
                            KnowledgeError(file, f"{at}.values", f"not a value of {e.id}", v)
                        )
                if clause.min_value is not None and not e.scale:
                    problems.append(
                        KnowledgeError(file, f"{at}.min_value", "only for a 0-10 scale", e.id)
                    )
    _check_reachable(red_flags, conditions, evidences, problems)


#: A condition "shows" a finding when at least this share of its people have it.
REACH_P = 0.05


def _check_reachable(
    red_flags: Any,
    conditions: Mapping[str, ConditionFile],
    evidences: Mapping[str, Any],
    problems: list[KnowledgeError],
) -> None:
    """Every condition that needs an emergency is reachable by a red-flag rule: some rule
    whose every part holds for findings the condition shows (a safety net under the
    posterior, so that the most dangerous conditions never depend on it alone)."""

    def shows(c: ConditionFile, clause: Any) -> bool:
        if clause.evidence is None:
            return True  # an age or words said: possible for anyone
        entry = c.likelihood.get(clause.evidence)
        if entry is None:
            return False
        if entry.p is not None:
            return entry.p >= REACH_P
        values = entry.values or {}
        if clause.min_value is not None:
            return sum(q for v, q in values.items() if int(v) >= clause.min_value) >= REACH_P
        if clause.values:
            return sum(values.get(v, 0.0) for v in clause.values) >= REACH_P / 2
        return True

    for cid, c in conditions.items():
        if c.care.level not in URGENT_LEVELS:
            continue
        if not any(
            all(any(shows(c, clause) for clause in part.any_of) for part in rule.all_of)
            for rule in red_flags.rules
        ):
            problems.append(
                KnowledgeError(
                    "red_flags.json",
                    "$.rules",
                    f"no red-flag rule can reach the emergency-level condition {cid} (no rule "
                    f"whose every part it shows in at least {REACH_P:.0%} of people)",
                    cid,
                )
            )
