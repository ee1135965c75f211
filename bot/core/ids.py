"""The bounded database id every button and flow state carries."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

# A positive database integer, so forged data like "std:99999999999999:0" is a clean
# validation error instead of a database error.
Id = Annotated[int, Field(ge=1, le=2_147_483_647)]
