"""A compiler intrinsic: ask the CPU to bring a pixel's cache line closer.

Private, used by :func:`omrkit._kernels.fill._fill_ratios_sheet` to fetch the
next bubble's rows while one is measured. It emits ``llvm.prefetch``, which
never faults and computes nothing, so it has no numpy twin and no effect on
any result.
"""

from __future__ import annotations

from typing import Any

from llvmlite import ir  # type: ignore[import-untyped]
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic

__all__: list[str] = []

#: ``llvm.prefetch`` locality 2 fills L2 and beyond (``prefetcht1`` on x86): a
#: bubble's ~50 lines fetched one bubble ahead would crowd L1's fill buffers.
_PREFETCH_LOCALITY = 2


def _prefetch_typing(typingctx: Any, image: Any, row: Any, col: Any) -> Any:
    """Typing and code of ``_prefetch(image, row, col)``: prefetch ``image[row, col]``."""
    if not (
        isinstance(image, types.Array)
        and image.ndim == 2
        and isinstance(row, types.Integer)
        and isinstance(col, types.Integer)
    ):
        return None

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        array_type = signature.args[0]
        array = context.make_array(array_type)(context, builder, args[0])
        pointer = _CGUTILS.get_item_pointer(
            context, builder, array_type, array, [args[1], args[2]], wraparound=False
        )
        byte_pointer = ir.IntType(8).as_pointer()
        int32 = ir.IntType(32)
        function = _CGUTILS.get_or_insert_function(
            builder.module,
            ir.FunctionType(ir.VoidType(), [byte_pointer, int32, int32, int32]),
            "llvm.prefetch.p0",
        )
        read, data_cache = int32(0), int32(1)
        locality = int32(_PREFETCH_LOCALITY)
        builder.call(function, [builder.bitcast(pointer, byte_pointer), read, locality, data_cache])
        return context.get_dummy_value()

    return types.void(image, row, col), codegen


#: Numba's code-generation helpers carry no type hints.
_CGUTILS: Any = cgutils
_prefetch: Any = intrinsic(_prefetch_typing)
