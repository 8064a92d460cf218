"""The printed bit codes: a row of square cells carrying an integer.

In: a value and the code's geometry. Out: the cells to blacken, and back from
read cells the value, or ``None`` when a guard or the parity disagrees. The
layout id and the sheet serial are printed this way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import Field

from omrkit.errors import LayoutError
from omrkit.layout.base import _Frozen, _Identifier, _Mm

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["BitCode"]


class BitCode(_Frozen):
    """A row of square cells encoding an integer (layout id, sheet serial).

    Cell ``i`` is centred at ``(x_mm + i * pitch_mm, y_mm)``. The first and
    last cells are always black guards; between them sit ``bits`` data cells,
    most significant first, then one even-parity cell.
    """

    id: _Identifier
    x_mm: _Mm
    y_mm: _Mm
    cell_mm: _Mm = Field(default=2.0, gt=0.8, le=6)
    pitch_mm: _Mm = Field(default=3.0, gt=0.8, le=10)
    bits: int = Field(default=24, ge=4, le=48)

    @property
    def n_cells(self) -> int:
        """Guards + data + parity."""
        return self.bits + 3

    def cell_centers_mm(self) -> npt.NDArray[np.float64]:
        """Centres of all cells, (n_cells, 2) in mm."""
        import numpy as np  # loaded on use: the reading models import without it

        xs = self.x_mm + self.pitch_mm * np.arange(self.n_cells, dtype=np.float64)
        return np.column_stack([xs, np.full(self.n_cells, self.y_mm)])

    def encode(self, value: int) -> npt.NDArray[np.bool_]:
        """Cells to blacken for ``value``: (n_cells,) bool."""
        import numpy as np  # loaded on use: the reading models import without it

        if not 0 <= value < (1 << self.bits):
            raise LayoutError(f"value {value} does not fit in {self.bits} bits", field=self.id)
        data = [(value >> (self.bits - 1 - i)) & 1 == 1 for i in range(self.bits)]
        parity = sum(data) % 2 == 1
        return np.array([True, *data, parity, True], dtype=bool)

    def decode(self, cells: npt.NDArray[np.bool_]) -> int | None:
        """Value of read cells, or None when guards or parity disagree."""
        if cells.shape != (self.n_cells,) or not (cells[0] and cells[-1]):
            return None
        # Plain Python values: two dozen numpy scalars cost more than their arithmetic.
        flags = cells.tolist()
        data = flags[1 : 1 + self.bits]
        if bool(sum(data) % 2) != bool(flags[1 + self.bits]):
            return None
        return int(sum(int(b) << (self.bits - 1 - i) for i, b in enumerate(data)))
