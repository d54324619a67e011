"""The exceptions symptomatic raises.

Every error derives from :class:`SymptomaticError`. Concrete errors also subclass the
builtin that matches them, so ``except ValueError`` keeps working for callers who do not
know this module::

    SymptomaticError
    ├── KnowledgeError (ValueError)        the knowledge base failed validation or loading
    │   └── ModelIntegrityError              a packaged file is not the one recorded (sha256)
    ├── SemanticUnavailableError (ImportError) the optional semantic extra is not installed
    └── InputError (ValueError)            a caller gave something the rules do not allow
        ├── UnknownEvidenceError (KeyError) no evidence has that code or name
        ├── UnknownConditionError (KeyError) no condition has that id
        ├── InvalidValueError                the evidence has no such value
        ├── ConflictingAnswerError           the same evidence answered twice, differently
        └── TextInputError                   free text too long, with control characters, ...

Each :class:`InputError` names the ``field``, the ``rule`` it broke and the ``value``
received, and where one exists, the closest valid choices in ``suggestions``.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "ConflictingAnswerError",
    "InputError",
    "InvalidValueError",
    "KnowledgeError",
    "ModelIntegrityError",
    "SemanticUnavailableError",
    "SymptomaticError",
    "TextInputError",
    "UnknownConditionError",
    "UnknownEvidenceError",
]


class SymptomaticError(Exception):
    """Base class of every error raised by symptomatic."""


class KnowledgeError(SymptomaticError, ValueError):
    """The knowledge base is invalid: names the file, the path inside it and the value."""

    def __init__(self, file: str, path: str, problem: str, value: object = None) -> None:
        self.file = file
        self.path = path
        self.problem = problem
        self.value = value
        shown = "" if value is None else f" (got {value!r})"
        super().__init__(f"{file}: {path}: {problem}{shown}")


class ModelIntegrityError(KnowledgeError):
    """A packaged file (knowledge arrays, the optional sentence model) is not the recorded one."""


class SemanticUnavailableError(SymptomaticError, ImportError):
    """The optional semantic extra (``symptomatic[semantic]``) is not installed."""

    def __init__(self, missing: str, install: str) -> None:
        self.missing = missing
        super().__init__(
            f"semantic: the semantic fallback needs the optional extra, which is not installed "
            f"(missing module {missing!r}); install it with: {install}"
        )


class InputError(SymptomaticError, ValueError):
    """Bad input from a caller: names the field, the rule and the value received."""

    def __init__(
        self,
        field: str,
        rule: str,
        value: object,
        suggestions: Sequence[str] = (),
    ) -> None:
        self.field = field
        self.rule = rule
        self.value = value
        self.suggestions = tuple(suggestions)
        message = f"{field}: {rule} (got {value!r})"
        if self.suggestions:
            message += "; did you mean " + " or ".join(repr(s) for s in self.suggestions) + "?"
        super().__init__(message)

    def __str__(self) -> str:  # KeyError would otherwise quote the whole message
        return str(self.args[0])


class UnknownEvidenceError(InputError, KeyError):
    """No evidence has this code or short name."""


class UnknownConditionError(InputError, KeyError):
    """No condition has this id."""


class InvalidValueError(InputError):
    """The evidence exists but does not take this value."""


class ConflictingAnswerError(InputError):
    """The same evidence was answered twice with different answers (e.g. yes and no)."""


class TextInputError(InputError):
    """Free text that cannot be read: too long, control characters, unsupported language."""


for _cls in (
    SymptomaticError,
    KnowledgeError,
    ModelIntegrityError,
    SemanticUnavailableError,
    InputError,
    UnknownEvidenceError,
    UnknownConditionError,
    InvalidValueError,
    ConflictingAnswerError,
    TextInputError,
):
    _cls.__module__ = "symptomatic"
del _cls
