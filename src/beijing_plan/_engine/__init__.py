"""The assessment engine's internals: the rules of DESIGN sections 4 and 5 on plain values.

[`assess`][beijing_plan.assess] is the way in; nothing here is public API.
"""
