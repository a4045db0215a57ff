"""URL rules that compile their builders when first asked to build.

Werkzeug compiles two Python functions per rule (`Rule._compile_builder`,
through `ast` and `compile()`) as the rule is added, whether or not a URL is
ever built from it. With about 360 rules that was half of `create_app`'s
time, paid by every worker that starts and by every test's app. Here each
builder is compiled on its first `url_for` and then replaces itself, so
matching is unchanged and building costs the same after the first call.

Werkzeug is pinned exactly (tests/test_library_pins.py): `Rule.compile`
assigns `self._compile_builder(False/True).__get__(self, None)` to `_build`
and `_build_unknown`, and `Rule.build` calls them with keyword arguments.
"""

from __future__ import annotations

from werkzeug.routing import Rule as WerkzeugRule

_BUILDERS = {False: "_build", True: "_build_unknown"}


class Rule(WerkzeugRule):
    """A Werkzeug rule whose URL builders are compiled on first use."""

    def _compile_builder(self, append_unknown: bool = True):
        compile_now = super()._compile_builder

        def build_first(rule: Rule, /, **values):
            # Two threads may both compile; both get the same function.
            builder = compile_now(append_unknown).__get__(rule, None)
            setattr(rule, _BUILDERS[append_unknown], builder)
            return builder(**values)

        return build_first
