from django.contrib.auth.decorators import login_not_required


def api(view):
    """Route an API view: it answers 403 JSON itself instead of redirecting to the sign-in page."""
    return login_not_required(view)
