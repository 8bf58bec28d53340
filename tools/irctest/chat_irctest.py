"""irctest controller for this chat server.

Put this folder on PYTHONPATH and run irctest with ``--controller chat_irctest``
(see DEVELOPING.md). The server is the jar built by ``mvn package``, found
relative to this file; it gets the ports irctest gives it, the server name
irctest expects, the password when a test asks for one, and runs without
clustering and without flood control.
"""

import os
from pathlib import Path
from typing import Optional, Set, Type

from irctest.basecontrollers import BaseServerController, DirectoryBasedController
from irctest.runner import NotImplementedByController

JAR = Path(__file__).resolve().parents[2] / "target" / "chat-server.jar"


class ChatServerController(BaseServerController, DirectoryBasedController):
    software_name = "chat-server"
    supported_sasl_mechanisms: Set[str] = set()
    supports_sts = False

    def run(
        self,
        hostname: str,
        port: int,
        *,
        password: Optional[str],
        ssl: bool,
        run_services: bool,
        faketime: Optional[str],
        websocket_hostname: Optional[str],
        websocket_port: Optional[int],
    ) -> None:
        if ssl:
            raise NotImplementedByController("TLS")
        if run_services:
            raise NotImplementedByController("Services")
        if websocket_hostname is not None or websocket_port is not None:
            raise NotImplementedByController("Websocket")
        if not JAR.is_file():
            raise RuntimeError(f"{JAR} is missing: run 'mvn package' first")
        assert self.proc is None
        self.port = port
        self.hostname = hostname
        self.create_config()
        (_, line_port) = self.get_hostname_and_port()
        (_, http_port) = self.get_hostname_and_port()
        env = dict(os.environ)
        env.update(
            {
                "CHAT_TCP_HOST": hostname,
                "CHAT_TCP_PORT": str(line_port),
                "CHAT_TCP_INSTANCES": "1",
                "CHAT_HTTP_PORT": str(http_port),
                "CHAT_IRC_PORT": str(port),
                "CHAT_IRC_SERVER_NAME": "My.Little.Server",
                "CHAT_IRC_PASSWORD": password or "",
                "CHAT_CLUSTER_ENABLED": "false",
                "CHAT_LIMITS_LINES_PER_SECOND": "0",
                "CHAT_LIMITS_LINE_BURST": "0",
            }
        )
        self.proc = self.execute(
            ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", str(JAR)],
            env=env,
            cwd=self.directory,
        )


def get_irctest_controller_class() -> Type[ChatServerController]:
    return ChatServerController
