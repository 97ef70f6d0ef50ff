"""A griffe extension for the API docs: Sphinx roles become cross-references.

The docstrings follow numpydoc, as scikit-learn's do, and so use Sphinx roles
such as ``:class:`~sklearn.svm.SVC``` and ``:func:`compare_models```, which
mkdocstrings would show as raw text. This extension rewrites each role into an
*optional* autorefs cross-reference: a link when the target is documented on
this site, plain code otherwise (never a broken link, so ``mkdocs build
--strict`` stays green). Loaded from ``mkdocs.yml`` (``extensions:``).
"""

import re

import griffe

#: ``:role:`target``` or ``:role:`~target```, the roles numpydoc docstrings use.
ROLE = re.compile(
    r":(?:py:)?(?P<role>class|func|meth|mod|data|attr|obj|exc|const|term|ref)"
    r":`(?P<target>[^`]+)`"
)


def _public(path: str) -> str:
    """``skclassify.evaluation._compare`` -> ``skclassify.evaluation``."""
    parts = path.split(".")
    while len(parts) > 1 and parts[-1].startswith("_"):
        parts.pop()
    return ".".join(parts)


def _identifier(target: str, role: str, obj: griffe.Object) -> str:
    if "." in target:
        return target
    if role == "meth" or role == "attr":
        owner = obj if obj.is_class else obj.parent
        if owner is not None and owner.is_class:
            return f"{_public(owner.module.path)}.{owner.name}.{target}"
    return f"{_public(obj.module.path)}.{target}"


def _replace(match: re.Match, obj: griffe.Object) -> str:
    role, target = match["role"], match["target"].strip()
    short = target.startswith("~")
    target = target.lstrip("~.")
    if role == "term" or role == "ref":  # Sphinx glossary/labels: just the text
        return f"*{target}*"
    title = target.rsplit(".", 1)[-1] if short else target
    if role in ("func", "meth"):
        title += "()"
    identifier = _identifier(target, role, obj)
    return f'<autoref identifier="{identifier}" optional><code>{title}</code></autoref>'


class SphinxRoles(griffe.Extension):
    """Rewrite Sphinx roles in every docstring (see the module docstring)."""

    def on_instance(self, *, obj: griffe.Object, **kwargs) -> None:
        if obj.docstring is not None:
            obj.docstring.value = ROLE.sub(
                lambda match: _replace(match, obj), obj.docstring.value
            )
