"""The pages: server-rendered HTML in Swedish for people who read finsam's records in a browser.

Each page reads the same queries as the JSON API (``<resource>/queries.py``) and renders a Jinja2
template; nothing here computes a rule. Drafts are shown only to a signed-in writer of the förbund
(:mod:`.session`). Templates and the stylesheet ship in the package; no page loads anything from
another host. See ``docs/web.md``.
"""

from finsam_service.web.forbund import ForbundPages
from finsam_service.web.network import NetworkPages
from finsam_service.web.session import SessionPages
from finsam_service.web.setup import STATIC_PATH, static_files, template_config

__all__ = ["STATIC_PATH", "ForbundPages", "NetworkPages", "SessionPages", "static_files", "template_config"]
