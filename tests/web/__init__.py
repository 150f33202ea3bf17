"""Browser tests of the pages (a package, so that its conftest does not replace tests/service's ``conftest``
module, which the service tests import by that name, when both run in one pytest call)."""
