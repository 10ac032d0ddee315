"""The 12345 hotline as a type package: the code that exists only for the hotline type.

The type itself is data (`catalog/case_types/hotline.yaml`); this package holds what data
cannot express — its intake channels (Open311, transfers from 12315 and the wage-clue
platform, grid-worker reports, imports of work orders), merging and similar orders, the
dispatch suggestion model, its statistics, supervision board and map, and its pages.

Layers inside (import-linter keeps them): plugin → cli | demo → api | web → read →
actions → routing. The engine imports nothing from here; `fazhi.bootstrap` composes the app
from the engine and `plugin`.
"""
