"""The assessment engine's internals: the rules of completion, roll-up and schedule on plain values.

[`assess`][beijing_plan.assess] is the way in; nothing here is public API.
"""
