"""The login lockout (django-axes) as the first authentication backend."""

from axes.backends import AxesStandaloneBackend


class LoginLockoutBackend(AxesStandaloneBackend):
    """Refuses a locked-out client's login before any password is checked.

    Every login people or programs make from outside comes with its request (the login
    page, the admin, the API), and is checked. A login in code without one (Django's test
    client ``login()``, a shell) has no client address to lock: it goes on to the next
    backend, where django-axes' own backend would raise instead.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)
