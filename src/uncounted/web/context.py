"""Template context: the signed-in user's role and capabilities, for menus and fields.

Templates use ``caps.view_testimony`` and the like to hide what a role may not see; the
views enforce the same rules on the server, so hiding is never the only check.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from uncounted.web.roles import Capability, capabilities, role_of


def role_context(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    granted = capabilities(user)
    role = role_of(user)
    return {
        "role": role.value if role else "",
        "caps": {c.value: c in granted for c in Capability},
    }
