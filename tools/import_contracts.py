"""An import-linter contract of our own: no two of the listed packages import each other both ways.

import-linter's independence contract forbids any import between packages and its layers need a
total order; domains legitimately use each other (cohorts use the catalog's courses), just never
in both directions, or a change to one drags the other along.
"""
from itertools import combinations

from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck


class NoMutualImportsContract(Contract):
    """Configuration: `packages` (the sibling packages), optional `ignore_imports`
    ("a.b -> c.d" lines, the known exceptions being worked off)."""

    type_name = "no_mutual_imports"

    packages = fields.ListField(subfield=fields.StringField())
    ignore_imports = fields.SetField(subfield=fields.ImportExpressionField(), required=False)

    def check(self, graph, verbose: bool) -> ContractCheck:
        ignored = {(str(e.importer), str(e.imported)) for e in (self.ignore_imports or ())}
        edges = {pair: self._imports(graph, *pair, ignored) for pair in
                 ((a, b) for a in self.packages for b in self.packages if a != b)}
        mutual = [(a, b, edges[(a, b)], edges[(b, a)])
                  for a, b in combinations(self.packages, 2) if edges[(a, b)] and edges[(b, a)]]
        return ContractCheck(kept=not mutual, metadata={"mutual": mutual})

    @staticmethod
    def _imports(graph, importer: str, imported: str, ignored: set) -> list[str]:
        return sorted(f"{source} -> {target}" for source, target in
                      _direct_imports(graph, importer, imported) if (source, target) not in ignored)

    def render_broken_contract(self, check: ContractCheck) -> None:
        for a, b, there, back in check.metadata["mutual"]:
            output.print_error(f"{a} and {b} import each other:", bold=True)
            for line in there + back:
                output.indent_cursor()
                output.print_error(line)
            output.new_line()


def _direct_imports(graph, importer: str, imported: str):
    """Direct imports from `importer` (or below) to `imported` (or below)."""
    sources = {importer} | graph.find_descendants(importer)
    targets = {imported} | graph.find_descendants(imported)
    for source in sources:
        for target in graph.find_modules_directly_imported_by(source) & targets:
            yield source, target
