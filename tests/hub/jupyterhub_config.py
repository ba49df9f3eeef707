"""JupyterHub configuration for the hub test: loopback only, real Unix users, the project's venv.

The test writes its settings (ports, paths, users and passwords) to a JSON file and names it in
CSTO_HUB_SETTINGS; everything else is what a small course hub on one machine would use.
"""

import hmac
import json
import os
from pathlib import Path

from jupyterhub.auth import Authenticator
from traitlets import Dict

settings = json.loads(Path(os.environ["CSTO_HUB_SETTINGS"]).read_text(encoding="utf-8"))


class CoursePasswords(Authenticator):
    """One password per user, so that each student logs in as themselves only."""

    passwords = Dict(config=True, help="user name -> password")

    async def authenticate(self, handler, data):
        expected = self.passwords.get(data["username"])
        if expected is not None and hmac.compare_digest(expected, data["password"]):
            return data["username"]
        return None


c = get_config()  # noqa: F821 (provided by JupyterHub when it loads this file)
c.JupyterHub.bind_url = f"http://127.0.0.1:{settings['public_port']}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = settings["hub_port"]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{settings['proxy_api_port']}"
c.ConfigurableHTTPProxy.command = [settings["proxy"]]
c.JupyterHub.db_url = f"sqlite:///{settings['state']}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = f"{settings['state']}/jupyterhub_cookie_secret"
c.JupyterHub.pid_file = f"{settings['state']}/jupyterhub.pid"

c.JupyterHub.authenticator_class = CoursePasswords
c.CoursePasswords.passwords = settings["passwords"]
c.Authenticator.allowed_users = set(settings["passwords"])
c.Authenticator.admin_users = {settings["teacher"]}

# Each user's server runs as that Unix user, from the project's venv, in their home (where
# nbgitpuller puts the course), with the hub's user name as the student id on every sheet.
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [settings["singleuser"]]
c.Spawner.ip = "127.0.0.1"
c.Spawner.default_url = "/lab"
c.Spawner.environment = {"CSTO_STUDENT_ID": lambda spawner: spawner.user.name}
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180
