"""Text out, in one place: answers (:mod:`.answer`), labels (:mod:`.labels`), the
interview's words (:mod:`.interview`) and the interfaces' words (:mod:`.ui`), all from the
phrase data of each language."""
